/* Lessonbook Explore page: full-text and faceted search over the Pagefind index the build wrote
 * to <site>/pagefind/. Served by the site itself (no CDN). Runs inside Material's document$ so
 * it also works with navigation.instant; binds each Explore element once.
 *
 * Stable hooks (docs/search.md): [data-lessonbook-search] is the search input;
 * [data-lessonbook-facet="<dimension>"][value="<value>"] is each facet value's checkbox;
 * [data-lessonbook-result] is each result (it contains a link to the lesson).
 * Values within a facet are OR'ed, facets are AND'ed. State lives in the URL:
 * ?query=<text>&<dimension>=<value>&<dimension>=<value>...
 */
(function () {
  "use strict";

  const TITLE_ANCHOR = "lb-title"; // site/search.py: the search document's title section
  let current = null; // the controller of the Explore element on screen

  function loadPagefind(root) {
    return window.lessonbookSearch.load(root); // search-index.js: the index the header box uses
  }

  /* Pagefind's excerpt is HTML with <mark> around matches. Rebuild it from text so that only
   * <mark> survives: everything else becomes text nodes, never markup. */
  function excerptFragment(excerpt) {
    const parsed = new DOMParser().parseFromString(String(excerpt || ""), "text/html");
    const fragment = document.createDocumentFragment();
    for (const node of parsed.body.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.append(mark);
      } else {
        fragment.append(document.createTextNode(node.textContent || ""));
      }
    }
    return fragment;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  class Explore {
    constructor(root) {
      this.root = root;
      this.siteRoot = new URL((root.dataset.lessonbookRoot || ".") + "/", location.href);
      this.path = location.pathname;
      this.perPage = Math.max(1, parseInt(root.dataset.perPage || "20", 10) || 20);
      this.input = root.querySelector("[data-lessonbook-search]");
      this.form = root.querySelector("[data-lessonbook-form]");
      this.status = root.querySelector("[data-lessonbook-status]");
      this.list = root.querySelector("[data-lessonbook-results]");
      this.more = root.querySelector("[data-lessonbook-more]");
      this.clear = root.querySelector("[data-lessonbook-clear]");
      this.chosen = root.querySelector("[data-lessonbook-chosen]");
      this.chips = root.querySelector("[data-lessonbook-chips]");
      this.drawer = root.querySelector("[data-lessonbook-drawer]");
      this.show = root.querySelector("[data-lessonbook-show]");
      this.heading = root.querySelector("#lb-explore-results");
      this.boxes = Array.from(root.querySelectorAll("[data-lessonbook-facet]"));
      this.dimensions = Array.from(new Set(this.boxes.map((b) => b.dataset.lessonbookFacet)));
      this.seq = 0;
      this.timer = 0;
      this.results = [];
      this.shown = 0;
      this.pagefind = loadPagefind(this.siteRoot);
      this.pagefind.catch(() => {});
      this.bind();
      this.load();
    }

    /* Show the state in the address bar, written back in canonical order. */
    load() {
      this.apply(this.readUrl());
      const url = this.toUrl(this.state());
      if (url !== location.pathname + location.search) {
        history.replaceState(history.state, "", url);
      }
      this.search();
    }

    bind() {
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        window.clearTimeout(this.timer);
        this.commit(true);
      });
      this.input.addEventListener("input", () => {
        window.clearTimeout(this.timer);
        this.pagefind.then((pf) => pf.preload(this.input.value)).catch(() => {});
        this.timer = window.setTimeout(() => this.commit(false), 150);
      });
      for (const box of this.boxes) {
        box.addEventListener("change", () => this.commit(true));
      }
      this.clear.addEventListener("click", () => {
        for (const box of this.boxes) box.checked = false;
        this.commit(true);
      });
      this.more.addEventListener("click", () => this.showMore(true));
      this.bindLayout();
    }

    /* Chosen filters as chips (each removes itself), a "show all" per long facet, and on a
     * phone the filters in a drawer below the search box, closed so results come first. */
    bindLayout() {
      if (this.chips) {
        this.chips.addEventListener("click", (event) => {
          const chip = event.target.closest("[data-chip-facet]");
          if (!chip) return;
          const box = this.boxes.find((b) => b.dataset.lessonbookFacet === chip.dataset.chipFacet
            && b.value === chip.dataset.chipValue);
          if (box) box.checked = false;
          this.commit(true);
        });
      }
      for (const button of this.root.querySelectorAll("[data-lessonbook-facet-more]")) {
        button.addEventListener("click", () => {
          const group = button.closest("fieldset");
          const open = group.toggleAttribute("data-expanded");
          button.setAttribute("aria-expanded", String(open));
          button.textContent = open ? "Show fewer" : button.dataset.label;
        });
        button.dataset.label = button.textContent;
      }
      if (this.drawer) {
        this.drawer.addEventListener("click", () => {
          const open = this.root.toggleAttribute("data-drawer-open");
          this.drawer.setAttribute("aria-expanded", String(open));
        });
      }
      // On a phone the open drawer ends in a sticky "Show N results": it closes the drawer and
      // takes the reader (and the focus) to the first result.
      if (this.show) this.show.addEventListener("click", () => this.toResults());
      this.addSkipLink();
    }

    /* The results, on screen and focused: the drawer closed, the heading in view. */
    toResults() {
      if (this.drawer && this.root.hasAttribute("data-drawer-open")) {
        this.root.removeAttribute("data-drawer-open");
        this.drawer.setAttribute("aria-expanded", "false");
      }
      if (!this.heading) return;
      this.heading.focus({ preventScroll: true });
      this.heading.scrollIntoView({ block: "start" });
    }

    /* "Skip to results" as the page's first stop in tab order, beside Material's own skip
     * link, in the element Material replaces on every instant navigation (so it leaves with
     * the page). From page load: Tab, Enter, Tab reaches the first result. */
    addSkipLink() {
      const holder = document.querySelector("[data-md-component='skip']") || this.root;
      if (!this.heading || holder.querySelector("[data-lessonbook-skip]")) return;
      const link = el("a", "md-skip lb-skip", "Skip to results");
      link.href = "#" + this.heading.id;
      link.setAttribute("data-lessonbook-skip", "");
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.toResults();
      });
      holder.prepend(link);
    }

    renderChips(state) {
      if (!this.chips) return;
      this.chips.replaceChildren();
      let n = 0;
      for (const box of this.boxes) {
        if (!box.checked) continue;
        n += 1;
        const group = box.closest("fieldset");
        const legend = group && group.querySelector("legend");
        const label = box.closest("label").querySelector(".lb-facet__label");
        const chip = el("button", "lb-chip lb-chip--remove");
        chip.type = "button";
        chip.dataset.chipFacet = box.dataset.lessonbookFacet;
        chip.dataset.chipValue = box.value;
        chip.textContent = `${legend ? legend.textContent + ": " : ""}${label ? label.textContent : box.value}`;
        chip.setAttribute("aria-label", `Remove filter ${chip.textContent}`);
        chip.append(el("span", "lb-chip__x", " ×"));
        this.chips.append(chip);
      }
      this.chosen.hidden = n === 0;
      if (this.drawer) this.drawer.textContent = n ? `Filters (${n})` : "Filters";
    }

    /* --- state <-> URL ------------------------------------------------------------------ */
    state() {
      const facets = {};
      for (const box of this.boxes) {
        if (box.checked) (facets[box.dataset.lessonbookFacet] ||= []).push(box.value);
      }
      return { q: this.input.value, facets };
    }

    readUrl() {
      const params = new URLSearchParams(location.search);
      const facets = {};
      for (const dim of this.dimensions) {
        const values = params.getAll(dim);
        if (values.length) facets[dim] = values;
      }
      return { q: params.get("query") || "", facets };
    }

    apply(state) {
      this.input.value = state.q;
      for (const box of this.boxes) {
        const values = state.facets[box.dataset.lessonbookFacet] || [];
        box.checked = values.includes(box.value);
      }
    }

    toUrl(state) {
      const params = new URLSearchParams();
      if (state.q.trim()) params.set("query", state.q);
      for (const dim of this.dimensions) {
        for (const value of state.facets[dim] || []) params.append(dim, value);
      }
      const query = params.toString();
      return location.pathname + (query ? "?" + query : "");
    }

    commit(push) {
      const url = this.toUrl(this.state());
      if (url !== location.pathname + location.search) {
        if (push) history.pushState(null, "", url);
        else history.replaceState(history.state, "", url);
      }
      this.search();
    }

    /* --- searching ---------------------------------------------------------------------- */
    filtersFor(facets, without) {
      const filters = {};
      for (const [dim, values] of Object.entries(facets)) {
        if (dim !== without && values.length) filters[dim] = { any: values };
      }
      return filters;
    }

    /* Results (newest first when there is no text to rank by) and per-value counts. With
     * neither words nor facets: every lesson, newest first, and the counts are the totals. */
    async query(pf, q, filters) {
      if (!q && !Object.keys(filters).length) {
        const all = await window.lessonbookSearch.byDate(pf, {});
        const totals = await pf.filters();
        return { results: (all && all.results) || [], filters: totals, totalFilters: totals };
      }
      if (q && !Object.keys(filters).length) return window.lessonbookSearch.text(pf, q);
      if (!q) return window.lessonbookSearch.byDate(pf, filters);
      return pf.search(q, { filters });
    }

    /* Pagefind's first filtered search pays a one-off setup cost (about a second at 10,000
     * lessons): pay it while the reader is still reading the page. */
    warmUp(pf) {
      const box = this.boxes[0];
      if (!box || this.warmed) return;
      this.warmed = true;
      pf.search(null, { filters: { [box.dataset.lessonbookFacet]: { any: [box.value] } } })
        .catch(() => {});
    }

    async search() {
      const seq = ++this.seq;
      const state = this.state();
      const q = state.q.trim() || null;
      this.root.setAttribute("aria-busy", "true");
      delete this.root.dataset.lessonbookDone;
      delete this.root.dataset.lessonbookShown;
      let pf;
      try {
        pf = await this.pagefind;
      } catch (error) {
        this.setStatus("Search is unavailable: this site was built without its search index.");
        this.root.removeAttribute("aria-busy");
        return;
      }
      const filters = this.filtersFor(state.facets, null);
      const empty = !q && !Object.keys(filters).length;
      if (empty) this.warmUp(pf);
      let main = await this.query(pf, q, filters);
      if (seq !== this.seq) return; // a newer search started meanwhile
      this.results = main.results;
      this.shown = 0;
      this.list.replaceChildren();
      await this.showMore(false);
      if (seq !== this.seq) return;
      const n = this.results.length;
      const everything = this.root.dataset.totalText || `${this.root.dataset.total} lessons`;
      this.setStatus(empty ? `All ${everything}, newest first. Type words or choose filters to narrow them down.`
        : n === 0 ? "No lessons match." : n === 1 ? "1 lesson matches." : `${n} lessons match.`);
      if (this.show) {
        this.show.textContent = n === 0 ? "No lessons match: close filters"
          : n === 1 ? "Show 1 result" : `Show ${n} results`;
      }
      this.renderChips(state);
      this.root.dataset.lessonbookShown = this.toUrl(state);
      // Pagefind counts only the filters whose index it has loaded. Load them all once, after
      // the first results are on screen, so the first query downloads only what it needs.
      if (!this.filtersLoaded) {
        await pf.filters();
        this.filtersLoaded = true;
        main = await this.query(pf, q, filters);
      }
      // Counts: for a facet with selections, count over the other facets only, so ticking a
      // second value in the same facet (OR) shows how many results it would add. When no other
      // facet is ticked that is Pagefind's totalFilters (the words alone): no extra search.
      const counts = {};
      for (const dim of this.dimensions) {
        if ((state.facets[dim] || []).length) {
          const others = this.filtersFor(state.facets, dim);
          const source = Object.keys(others).length
            ? (await this.query(pf, q, others)).filters
            : q ? main.totalFilters : await pf.filters();
          counts[dim] = (source || {})[dim] || {};
        } else {
          counts[dim] = (main.filters || {})[dim] || {};
        }
      }
      if (seq !== this.seq) return;
      this.updateCounts(counts);
      this.root.removeAttribute("aria-busy");
      // Scripts and tests can wait for this: the URL of the state the results and counts show.
      this.root.dataset.lessonbookDone = this.toUrl(state);
    }

    async showMore(focusFirst) {
      const seq = this.seq;
      const slice = this.results.slice(this.shown, this.shown + this.perPage);
      const data = await Promise.all(slice.map((r) => r.data()));
      if (seq !== this.seq) return;
      const first = this.shown;
      for (const item of data) this.list.append(this.renderResult(item));
      this.shown += slice.length;
      this.more.hidden = this.shown >= this.results.length;
      if (focusFirst && this.list.children[first]) {
        this.list.children[first].querySelector("a").focus();
      }
    }

    // A result's link: the url recorded with the lesson when it points into this site, else
    // the page Pagefind indexed. Never another origin or scheme (javascript:, data:), whatever
    // an index holds.
    resultHref(recorded, indexed) {
      const fallback = new URL(indexed.replace(/^\//, ""), this.siteRoot);
      if (!recorded) return fallback.href;
      let target;
      try {
        target = new URL(recorded, this.siteRoot);
      } catch (error) {
        return fallback.href;
      }
      const root = this.siteRoot;
      const sameSite = target.protocol === root.protocol && target.host === root.host
        && target.pathname.startsWith(root.pathname);
      return sameSite ? target.href : fallback.href;
    }

    renderResult(item) {
      const meta = item.meta || {};
      const li = el("li", "lb-result");
      li.setAttribute("data-lessonbook-result", "");
      const link = el("a", "lb-result__title", meta.title || item.url);
      link.href = this.resultHref(meta.url, item.url);
      const heading = el("h3", "lb-result__heading");
      heading.append(link);
      const info = el("p", "lb-result__meta");
      if (/^\d{4}-\d{2}-\d{2}$/.test(meta.date || "")) { // every lesson has one; shown first
        const when = el("time", "lb-result__date", meta.date);
        when.dateTime = meta.date;
        info.append(when);
      }
      if (meta.kind) info.append(document.createTextNode((info.firstChild ? " · " : "") + meta.kind));
      if (meta.severity) {
        info.append(document.createTextNode(" · "));
        info.append(el("span", "lb-sev", meta.severity));
      }
      const services = (item.filters || {}).service || [];
      if (services.length) {
        info.append(document.createTextNode(" · "));
        info.append(el("span", "lb-result__services", services.join(", ")));
      }
      const excerpt = el("p", "lb-result__excerpt");
      const best = this.bodyExcerpt(item);
      excerpt.append(best === null ? document.createTextNode(this.opening(item)) : excerptFragment(best));
      li.append(heading, info, excerpt);
      return li;
    }

    /* The excerpt from the lesson's own text: the section with the most (weighted) matches,
     * never the closing title-and-terms section of the search document (site/search.py,
     * TITLE_ANCHOR), which only repeats what the result already shows. Null with no words,
     * or when only that section matched: the lesson's opening is shown instead. */
    bodyExcerpt(item) {
      const subs = (item.sub_results || []).filter((s) => (s.locations || []).length
        && !(s.anchor && s.anchor.id === TITLE_ANCHOR));
      if (!subs.length) return null;
      const weight = (s) => (s.weighted_locations || []).reduce((sum, w) => sum + (w.weight || 1), 0)
        || s.locations.length;
      return subs.reduce((best, s) => (weight(s) > weight(best) ? s : best)).excerpt;
    }

    /* The opening words of the lesson (its summary, then its body), as plain text, stopping
     * where the title section begins (a short lesson would otherwise run into it). */
    opening(item) {
      const title = (item.anchors || []).find((a) => a.id === TITLE_ANCHOR);
      const words = String(item.content || "").split(/\s+/).filter(Boolean);
      const end = Math.min(30, title ? title.location : words.length);
      return words.slice(0, end).join(" ") + (words.length > end && end === 30 ? " …" : "");
    }

    updateCounts(counts) {
      for (const box of this.boxes) {
        const n = (counts[box.dataset.lessonbookFacet] || {})[box.value] || 0;
        const label = box.closest("label");
        const badge = label && label.querySelector("[data-count]");
        if (badge) badge.textContent = String(n);
        if (label) label.classList.toggle("lb-facet__option--empty", n === 0 && !box.checked);
      }
      // A facet left with no value that matches is folded away entirely.
      for (const group of this.root.querySelectorAll("[data-lessonbook-facet-group]")) {
        group.hidden = !group.querySelector(".lb-facet__option:not(.lb-facet__option--empty)");
      }
    }

    setStatus(text) {
      this.status.textContent = text;
    }
  }

  function init() {
    const root = document.querySelector("[data-lessonbook-explore]");
    if (!root) {
      current = null;
      return;
    }
    if (root.dataset.lessonbookBound) return; // already bound (no double binding)
    root.dataset.lessonbookBound = "1";
    current = new Explore(root);
  }

  // Back/forward between two states of the same Explore page: re-read the URL. (On the first
  // such step after a page load Material's instant navigation also fetches the page again;
  // init then binds the fresh copy, which reads the same URL.) Registered once per session.
  window.addEventListener("popstate", () => {
    if (!current || !document.contains(current.root) || location.pathname !== current.path) {
      return;
    }
    current.load();
  });

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
