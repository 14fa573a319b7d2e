(function () {
  // a lineage diagram wider than the page opens scrolled to the page's own entity (data-focus-x: its centre)
  Array.prototype.forEach.call(document.querySelectorAll(".diagram[data-focus-x]"), function (d) {
    d.scrollLeft = Math.max(0, Number(d.getAttribute("data-focus-x")) - d.clientWidth / 2);
  });
  var data = (window.DV_INDEX || {entities: []}).entities;  // search-index.js, beside the pages
  var box = document.getElementById("dv-q"), list = document.getElementById("dv-results");
  function has(text, t) { return text.indexOf(t) >= 0; }
  function matches(q) {
    var terms = q.toLowerCase().split(/\s+/).filter(Boolean), hits = [];
    if (!terms.length) return hits;
    data.forEach(function (e) {
      var hay = (e[0] + " " + e[2] + " " + e[1]).toLowerCase(), desc = e[3].toLowerCase();
      if (terms.every(function (t) { return has(hay, t) || has(desc, t); })) {
        var inName = terms.every(function (t) { return has(hay, t); });
        hits.push({rank: inName ? 0 : 2, label: e[0], note: e[1] + (e[2] ? " \u00b7 " + e[2] : ""), href: e[4]});
      }
      e[5].forEach(function (c) {
        var lc = c.toLowerCase();
        if (terms.every(function (t) { return has(lc, t) || has(hay, t); }) &&
            terms.some(function (t) { return has(lc, t); })) {
          hits.push({rank: lc === terms.join(" ") ? 1 : 3, label: c, note: "column of " + e[0],
                     href: e[4] + "#col-" + encodeURIComponent(c)});
        }
      });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    });
    return hits.slice(0, 50);
  }
  function show() {
    list.textContent = "";
    matches(box.value).forEach(function (h, i) {
      var li = document.createElement("li"), a = document.createElement("a"), s = document.createElement("small");
      a.href = h.href; a.textContent = h.label + " "; s.textContent = h.note;
      if (i === 0) a.className = "sel";
      a.appendChild(s); li.appendChild(a); list.appendChild(li);
    });
  }
  box.addEventListener("input", show);
  box.addEventListener("keydown", function (ev) {
    var first = list.querySelector("a");
    if (ev.key === "Enter" && first) { window.location.href = first.getAttribute("href"); }
    if (ev.key === "Escape") { box.value = ""; show(); }
  });
})();
