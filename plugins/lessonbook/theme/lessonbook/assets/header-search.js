/* The search box in every page's header, on Lessonbook's Pagefind index (search-index.js).
 *
 * Looks and opens like Material's own box (its markup and classes, the `__search` toggle) and
 * keeps its keys: `/`, `s` or `f` focus the box; arrows move through the results; Enter opens
 * the chosen result (the first when none is chosen); Esc closes; Tab leaves. The input is a
 * combobox whose listbox holds the results (title, date · kind, a short excerpt) and, last,
 * "All results in Explore" with the query carried over. The result count is announced
 * (aria-live). The query is kept while the reader moves between pages, and `?q=` opens the box
 * with a query, as Material's does.
 *
 * The header survives Material's instant navigation, so the box is bound once per header;
 * every string from the index is inserted as text.
 */
(function () {
  "use strict";

  const SHOWN = 10; // results listed; the rest are one Enter away in Explore
  const KEPT = "lessonbook.header-search.query";
  // The site root, from where this script is served (<root>/lessonbook/assets/).
  const script = document.currentScript;
  const siteRoot = new URL("../../", script ? script.src : location.href);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpt with only its <mark> elements kept; the rest becomes text. */
  function excerpt(html) {
    const parsed = new DOMParser().parseFromString(String(html || ""), "text/html");
    const fragment = document.createDocumentFragment();
    for (const node of parsed.body.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        fragment.append(el("mark", "", node.textContent));
      } else {
        fragment.append(document.createTextNode(node.textContent || ""));
      }
    }
    return fragment;
  }

  /* The lesson's recorded URL when it stays inside this site, else the page Pagefind indexed;
   * never another origin or scheme, whatever an index holds. */
  function resultHref(recorded, indexed) {
    const fallback = new URL(String(indexed || "").replace(/^\//, ""), siteRoot);
    try {
      const target = new URL(recorded, siteRoot);
      const same = target.origin === siteRoot.origin
        && target.pathname.startsWith(siteRoot.pathname);
      return recorded && same ? target.href : fallback.href;
    } catch (error) {
      return fallback.href;
    }
  }

  function keep(query) {
    try { sessionStorage.setItem(KEPT, query); } catch (error) { /* storage off */ }
  }

  function kept() {
    try { return sessionStorage.getItem(KEPT) || ""; } catch (error) { return ""; }
  }

  function typing(target) {
    return target && (target.isContentEditable
      || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  class HeaderSearch {
    constructor(root) {
      this.root = root;
      this.toggle = document.getElementById("__search");
      this.form = root.querySelector("[data-lessonbook-header-form]");
      this.input = root.querySelector("[data-lessonbook-header-input]");
      this.status = root.querySelector("[data-lessonbook-header-status]");
      this.list = root.querySelector("[data-lessonbook-header-results]");
      this.placeholder = this.status.textContent;
      this.explore = new URL(root.dataset.explore || "explore/", siteRoot);
      this.seq = 0;
      this.timer = 0;
      this.active = -1;
      this.searched = null;
      this.bind();
      const asked = new URLSearchParams(location.search).get("q");
      this.input.value = asked !== null ? asked : kept();
      if (asked) this.open(true);
    }

    index() {
      if (!this.pagefind) {
        this.pagefind = window.lessonbookSearch.load(siteRoot);
        this.pagefind.catch(() => {});
      }
      return this.pagefind;
    }

    /* Fetch the word chunks for the words typed so far, one preload at a time and only for
     * the latest words: keystrokes typed while Pagefind loads (or while a chunk is on its
     * way) become one request for the words as they are then, not one per prefix in a row. */
    async preload(words) {
      this.wanted = words;
      if (this.preloading) return;
      this.preloading = true;
      try {
        while (this.wanted && this.wanted !== this.preloaded) {
          this.preloaded = this.wanted;
          await (await this.index()).preload(this.preloaded);
        }
      } catch (error) {
        /* the search reports it */
      } finally {
        this.preloading = false;
      }
    }

    bind() {
      // A reader about to search: fetch Pagefind's runtime and index metadata now, so that
      // the first keystroke waits only for its own word chunks.
      for (const name of ["pointerenter", "touchstart", "focusin"]) {
        this.root.addEventListener(name, () => this.index(), { once: true, passive: true });
      }
      // And once the page is loaded and the browser idle (unless the reader asked to save
      // data): about 120 KB once per visit, far less than the index Material's own search
      // downloads on every page, and the first result no longer waits for it.
      const saving = navigator.connection && navigator.connection.saveData;
      if (!saving) {
        const idle = (fn) => (window.requestIdleCallback
          ? window.requestIdleCallback(fn, { timeout: 2000 }) : window.setTimeout(fn, 300));
        if (document.readyState === "complete") idle(() => this.index());
        else window.addEventListener("load", () => idle(() => this.index()), { once: true });
      }
      this.input.addEventListener("focus", () => this.open(false));
      this.input.addEventListener("input", () => {
        keep(this.input.value);
        window.clearTimeout(this.timer);
        // Not for a word of one or two letters being typed: its chunks are those of every
        // word it starts, most of them not the word the reader is typing.
        this.preload(this.input.value.trim().replace(/(^|\s)\S{1,2}$/, "").trim());
        this.timer = window.setTimeout(() => this.search(), 100);
      });
      this.input.addEventListener("keydown", (event) => this.key(event));
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.choose();
      });
      this.form.addEventListener("reset", () => {
        keep("");
        window.setTimeout(() => { this.search(); this.input.focus(); }, 0);
      });
      if (this.toggle) {
        // The header's magnifier (a label for the toggle) opens the box on a phone.
        this.toggle.addEventListener("change", () => {
          if (this.toggle.checked) this.input.focus();
          else this.close(false);
        });
      }
      this.list.addEventListener("mousemove", (event) => {
        const option = event.target.closest("[role=option]");
        if (option) this.activate(this.options().indexOf(option), false);
      });
    }

    options() {
      return Array.from(this.list.querySelectorAll("[role=option]"));
    }

    open(focus) {
      if (this.toggle && !this.toggle.checked) this.toggle.checked = true;
      if (focus && document.activeElement !== this.input) {
        this.input.focus();
        this.input.select();
      }
      if (this.searched !== this.input.value.trim()) this.search();
      this.expanded();
    }

    close(blur) {
      if (this.toggle && this.toggle.checked) this.toggle.checked = false;
      this.activate(-1, false);
      this.input.setAttribute("aria-expanded", "false");
      if (blur) this.input.blur();
    }

    expanded() {
      const open = Boolean(this.toggle ? this.toggle.checked : true) && this.options().length > 0;
      this.input.setAttribute("aria-expanded", String(open));
    }

    key(event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const options = this.options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!options.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = this.active < 0 ? (step > 0 ? 0 : options.length - 1)
          : (this.active + step + options.length) % options.length;
        this.activate(next, true);
      } else if (event.key === "Escape") {
        event.preventDefault();
        this.close(true);
      } else if (event.key === "Tab") {
        this.close(false);
      }
    }

    activate(index, scroll) {
      const options = this.options();
      this.active = index >= 0 && index < options.length ? index : -1;
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === this.active)));
      const chosen = options[this.active];
      if (chosen) {
        this.input.setAttribute("aria-activedescendant", chosen.id);
        if (scroll) chosen.scrollIntoView({ block: "nearest" });
      } else {
        this.input.removeAttribute("aria-activedescendant");
      }
    }

    /* Enter: the chosen option, else the first result, else Explore with the words. */
    choose() {
      const options = this.options();
      const option = options[this.active] || options[0];
      if (option) option.click();
      else if (this.input.value.trim()) location.assign(this.exploreHref());
    }

    exploreHref() {
      const url = new URL(this.explore.href);
      const words = this.input.value.trim();
      if (words) url.search = new URLSearchParams({ query: words }).toString();
      return url.href;
    }

    async search() {
      const seq = ++this.seq;
      const words = this.input.value.trim();
      this.searched = words;
      if (!words) {
        this.list.replaceChildren();
        this.activate(-1, false);
        this.status.textContent = this.placeholder;
        this.expanded();
        delete this.root.dataset.lessonbookShown;
        return;
      }
      this.root.setAttribute("aria-busy", "true");
      let found;
      try {
        const pf = await this.index();
        found = await window.lessonbookSearch.text(pf, words);
      } catch (error) {
        if (seq !== this.seq) return;
        this.status.textContent = "Search is unavailable: this site was built without its search index.";
        this.root.removeAttribute("aria-busy");
        return;
      }
      if (seq !== this.seq) return;
      const results = (found && found.results) || [];
      const data = await Promise.all(results.slice(0, SHOWN).map((r) => r.data()));
      if (seq !== this.seq) return;
      this.render(words, results.length, data);
      this.root.removeAttribute("aria-busy");
      // Scripts and tests can wait for this: the words whose results are listed.
      this.root.dataset.lessonbookShown = words;
    }

    render(words, total, data) {
      const items = data.map((item, i) => this.option(item, i));
      const all = el("li", "md-search-result__item lb-hsearch__all");
      all.setAttribute("role", "presentation");
      const link = el("a", "md-search-result__link",
        total > data.length ? `All ${total} results in Explore` : "Open in Explore");
      link.setAttribute("role", "option");
      link.id = "lb-hsearch-all";
      link.href = this.exploreHref();
      link.tabIndex = -1;
      all.append(link);
      this.list.replaceChildren(...items, all);
      this.activate(-1, false);
      this.status.textContent = total === 0 ? "No lessons match"
        : total === 1 ? "1 lesson matches" : `${total} lessons match`;
      this.expanded();
    }

    option(item, i) {
      const meta = item.meta || {};
      const li = el("li", "md-search-result__item");
      li.setAttribute("role", "presentation");
      li.setAttribute("data-lessonbook-header-result", "");
      const link = el("a", "md-search-result__link"); // the option itself: nothing nested
      link.setAttribute("role", "option");
      link.id = `lb-hsearch-option-${i}`;
      link.href = resultHref(meta.url, item.url);
      link.tabIndex = -1;
      const article = el("article", "md-search-result__article md-typeset");
      const title = el("div", "lb-hsearch__title", meta.title || item.url);
      const info = el("div", "lb-hsearch__meta", [meta.date, meta.kind].filter(Boolean).join(" · "));
      const text = el("p", "lb-hsearch__excerpt");
      text.append(excerpt(item.excerpt));
      article.append(title, info, text);
      link.append(article);
      li.append(link);
      return li;
    }
  }

  let current = null;

  function init() {
    const root = document.querySelector("[data-lessonbook-header-search]");
    if (!root) {
      current = null;
      return;
    }
    if (root.dataset.lessonbookBound) {
      if (current) current.close(false); // a new page came in under the same header
      return;
    }
    root.dataset.lessonbookBound = "1";
    current = new HeaderSearch(root);
  }

  // `/`, `s` or `f` anywhere but in a text field focuses the box (Material's keys).
  document.addEventListener("keydown", (event) => {
    if (!current || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      current.open(true);
    }
  });

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
