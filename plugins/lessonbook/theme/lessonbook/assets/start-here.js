/* Start here: ticks of what this reader has read, kept in localStorage (never sent anywhere).
   Runs on every page load, including Material's instant navigation. */
(function () {
  "use strict";
  var KEY = "lessonbook.read";

  function load() {
    try {
      var value = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(value) ? value.filter(function (x) { return typeof x === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function save(ids) {
    try { window.localStorage.setItem(KEY, JSON.stringify(ids)); } catch (e) { /* private mode */ }
  }

  function mount() {
    var root = document.querySelector("[data-lessonbook-start-here]");
    if (!root) return;
    var boxes = Array.prototype.slice.call(root.querySelectorAll("input[data-lessonbook-read]"));
    var progress = root.querySelector("[data-lessonbook-progress]");

    function render() {
      var read = load();
      var ids = {};
      boxes.forEach(function (box) {
        var id = box.getAttribute("data-lessonbook-read");
        ids[id] = true;
        box.checked = read.indexOf(id) !== -1;
        box.closest("li").classList.toggle("lb-reading--read", box.checked);
      });
      var total = Object.keys(ids).length;
      var done = Object.keys(ids).filter(function (id) { return read.indexOf(id) !== -1; }).length;
      if (progress) progress.textContent = done + " of " + total + " read.";
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var id = box.getAttribute("data-lessonbook-read");
        var read = load().filter(function (x) { return x !== id; });
        if (box.checked) read.push(id);
        save(read);
        render();  /* the same lesson may be listed in several sections */
      });
    });
    render();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
