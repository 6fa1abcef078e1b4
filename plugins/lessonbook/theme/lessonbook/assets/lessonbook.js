/* Lessonbook, every page: small enhancements that need the browser. Each one is optional —
 * without JavaScript the page still shows everything (all rules, unticked checklists).
 * Runs inside Material's document$ so it also works with navigation.instant; binds once.
 *
 *  - names Material's search dialog for screen readers (it has role="dialog" and no name);
 *  - a table wider than the screen scrolls in its own box; that box gets keyboard focus and a
 *    name, so keyboard users can scroll it too;
 *  - lesson pages: a button copies the lesson's id;
 *  - checklist pages: items can be ticked while you work; ticks are kept in this browser
 *    (localStorage, per checklist page) until "Untick all";
 *  - Rules page: the status filter, kept in the address bar (?status=adopted&status=retired);
 *  - notes saying a feature needs JavaScript ([data-lessonbook-needs-js]) are hidden.
 */
(function () {
  "use strict";

  function once(node, key) {
    if (!node || node.dataset[key]) return false;
    node.dataset[key] = "1";
    return true;
  }

  function nameSearchDialog() {
    const dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }

  function scrollableTables() {
    const boxes = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset .md-typeset__table");
    for (const box of boxes) {
      if (box.closest("[tabindex]")) continue;
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Table, scrolls sideways");
      }
    }
  }

  function copyButtons() {
    for (const button of document.querySelectorAll("[data-lessonbook-copy]")) {
      if (!once(button, "lessonbookBound")) continue;
      button.hidden = false;
      button.addEventListener("click", async () => {
        const text = button.dataset.lessonbookCopy;
        try {
          await navigator.clipboard.writeText(text);
          button.textContent = "Copied";
        } catch (error) {
          const range = document.createRange(); // no clipboard access: select it instead
          range.selectNodeContents(button.previousElementSibling || button);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          button.textContent = "Selected — press Ctrl+C";
        }
        window.setTimeout(() => { button.textContent = "Copy id"; }, 2000);
      });
    }
  }

  function tickableChecklist() {
    const article = document.querySelector("[data-lessonbook-kind='checklist'] .lb-body");
    if (!article || !once(article, "lessonbookTicks")) return;
    const key = "lessonbook:ticks:" + location.pathname;
    let saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { saved = {}; }
    const boxes = Array.from(article.querySelectorAll(".task-list-item input[type='checkbox']"));
    if (!boxes.length) return;
    boxes.forEach((box, i) => {
      const item = box.closest("li");
      const text = item ? item.textContent.trim().replace(/\s+/g, " ") : "";
      box.disabled = false;
      box.setAttribute("aria-label", text.slice(0, 200) || `Item ${i + 1}`);
      if (i in saved) box.checked = Boolean(saved[i]);
      if (item) {
        item.addEventListener("click", (event) => { // the whole item is the tap target
          if (event.target.closest("a, label, input")) return;
          box.click();
        });
      }
      box.addEventListener("change", () => {
        saved[i] = box.checked;
        try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* private mode */ }
        update();
      });
    });
    const bar = document.querySelector("[data-lessonbook-ticks]");
    const count = bar && bar.querySelector("[data-lessonbook-ticked]");
    const reset = bar && bar.querySelector("button");
    function update() {
      if (count) count.textContent = `${boxes.filter((b) => b.checked).length} of ${boxes.length} ticked`;
    }
    if (bar) {
      bar.hidden = false;
      reset.addEventListener("click", () => {
        for (const box of boxes) box.checked = false;
        saved = {};
        try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
        update();
      });
    }
    update();
  }

  function rulesFilter() {
    const page = document.querySelector("[data-lessonbook-rules]");
    const filter = page && page.querySelector("[data-lessonbook-filter]");
    if (!filter || !once(filter, "lessonbookBound")) return;
    const boxes = Array.from(filter.querySelectorAll("input[name='status']"));
    const defaults = boxes.filter((b) => b.defaultChecked).map((b) => b.value);
    const fromUrl = new URLSearchParams(location.search).getAll("status");
    const wanted = fromUrl.length ? fromUrl : defaults;
    for (const box of boxes) box.checked = wanted.includes(box.value);
    function apply(push) {
      const shown = boxes.filter((b) => b.checked).map((b) => b.value);
      let visible = 0;
      for (const card of page.querySelectorAll(".lb-rule-card")) {
        card.hidden = !shown.includes(card.dataset.status);
        if (!card.hidden) visible += 1;
      }
      for (const group of page.querySelectorAll(".lb-rule-group")) {
        group.hidden = !group.querySelector(".lb-rule-card:not([hidden])");
      }
      const status = page.querySelector("[data-lessonbook-shown]");
      if (status) status.textContent = `Showing ${visible} of ${boxes.reduce((n, b) => n + Number(b.dataset.count || 0), 0)} rules.`;
      const same = shown.length === defaults.length && shown.every((v) => defaults.includes(v));
      const params = new URLSearchParams(location.search);
      params.delete("status");
      if (!same) for (const value of shown) params.append("status", value);
      const query = params.toString();
      const url = location.pathname + (query ? "?" + query : "") + location.hash;
      if (url !== location.pathname + location.search + location.hash) {
        history[push ? "pushState" : "replaceState"](history.state, "", url);
      }
    }
    for (const box of boxes) box.addEventListener("change", () => apply(true));
    filter.hidden = false;
    apply(false);
  }

  function scriptsRun() {
    // Notes saying a feature needs JavaScript are plain text (hosts such as TechDocs strip
    // <noscript>); here it runs, so they go.
    for (const note of document.querySelectorAll("[data-lessonbook-needs-js]")) note.hidden = true;
  }

  function init() {
    scriptsRun();
    nameSearchDialog();
    scrollableTables();
    copyButtons();
    tickableChecklist();
    rulesFilter();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
