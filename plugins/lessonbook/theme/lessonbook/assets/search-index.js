/* Lessonbook's search index in the browser: one loader for the header search box and the
 * Explore page, so both search the same index with the same options.
 *
 * The build writes one index to <site>/pagefind/ (written in parts, then joined:
 * pagefind_parts.py, pagefind_merge.py), as does the Pagefind CLI. Only when the build could not
 * join its parts does pagefind/lessonbook-parts.json list the other parts, which are merged
 * into the first here with Pagefind's mergeIndex (facet counts summed; hits ranked by score).
 *
 * window.lessonbookSearch.load(siteRoot) -> Promise<pagefind module>, loaded once per page
 * session (merging a part twice would count its lessons twice).
 * window.lessonbookSearch.byDate(pf, filters) -> the lessons matching filters, newest first.
 * window.lessonbookSearch.text(pf, words) -> Pagefind's answer for words and no filters: the
 * query the header box runs, and the one Explore runs when no facet is ticked.
 */
(function () {
  "use strict";

  const OPTIONS = { excerptLength: 24 };
  const PART = "lessonbook_part"; // the hidden filter naming each lesson's part
  const EPS = 1e-9; // how much more each part weighs than the one before it
  const bundles = new Map(); // pagefind/ URL -> Promise<pagefind module>
  const merged = new WeakMap(); // pagefind module -> number of parts merged into it

  function partUrls(base, manifest) {
    const parts = manifest && Array.isArray(manifest.parts) ? manifest.parts : [];
    // Only folders inside pagefind/, whatever the file says.
    return parts.map((p) => new URL(String(p), base).href)
      .filter((url) => url.startsWith(base) && url !== base);
  }

  const manifests = new Map(); // pagefind/ URL -> Promise<list of part URLs>

  function partsOf(base) {
    if (!manifests.has(base)) {
      manifests.set(base, fetch(base + "lessonbook-parts.json")
        .then((r) => (r.ok ? r.json() : null)).catch(() => null)
        .then((manifest) => partUrls(base, manifest)));
    }
    return manifests.get(base);
  }

  /* The index for words: every part's hits ranked together by score. The list of parts is
   * fetched while the script loads: no extra round trip. */
  function load(siteRoot) {
    const base = new URL("pagefind/", siteRoot).href;
    if (!bundles.has(base)) {
      const parts = partsOf(base);
      bundles.set(base, import(base + "pagefind.js").then(async (pagefind) => {
        await pagefind.options(OPTIONS);
        await pagefind.init();
        const others = await parts;
        await Promise.all(others.map((url, i) => pagefind.mergeIndex(url, {
          ...OPTIONS, indexWeight: 1 + (i + 1) * EPS }))); // part i + 2: see dateOrder
        merged.set(pagefind, others.length);
        return pagefind;
      }));
    }
    return bundles.get(base);
  }

  /* A date-sorted answer (no words) in date order. Pagefind scores a part's date-sorted hits
   * by their place in that part (an integer, 0 for the part's oldest lesson), so its merge by
   * score interleaves the parts. Each part k is merged with weight 1 + (k-1)·EPS: the part of
   * a hit is read back from its score (a text query's ranking is unchanged but for exact
   * ties), and the parts are put one after the other, which is date order (part 1 holds the
   * newest lessons). Hits scored 0 come last, in part order; the hidden `lessonbook_part`
   * filter's counts say which parts they belong to. An answer without that shape (a single
   * index; another Pagefind) is left as it is. */
  function dateOrder(response) {
    const counts = response && response.filters && response.filters[PART];
    if (!counts) return response;
    const parts = Object.keys(counts).filter((k) => counts[k] > 0)
      .sort((a, b) => Number(a) - Number(b));
    const byPart = new Map(parts.map((k) => [k, []]));
    const zeros = [];
    for (const hit of response.results || []) {
      const place = Math.round(hit.score);
      if (place === 0) {
        zeros.push(hit);
        continue;
      }
      const part = String(Math.round((hit.score / place - 1) / EPS) + 1);
      if (!byPart.has(part)) return response;
      byPart.get(part).push(hit);
    }
    const short = parts.filter((k) => byPart.get(k).length < counts[k]);
    if (short.length !== zeros.length) return response;
    short.forEach((k, i) => byPart.get(k).push(zeros[i]));
    return { ...response, results: parts.flatMap((k) => byPart.get(k)) };
  }

  /* Lessons matching the filters, newest first, over every part. Pagefind counts a filter only
   * once its index is loaded: load the (tiny) part filter's first. */
  const partFilters = new WeakMap();
  async function byDate(pagefind, filters) {
    const sorted = { filters: filters || {}, sort: { date: "desc" } };
    if (!merged.get(pagefind)) return pagefind.search(null, sorted); // one index: in order
    if (!partFilters.has(pagefind)) {
      partFilters.set(pagefind, pagefind.preload(null, { filters: { [PART]: { any: ["1"] } } })
        .catch(() => {}));
    }
    await partFilters.get(pagefind);
    return dateOrder(await pagefind.search(null, sorted));
  }

  function text(pagefind, words) {
    return pagefind.search(words, { filters: {} });
  }

  window.lessonbookSearch = { load, byDate, text };
})();
