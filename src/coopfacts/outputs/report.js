(function () {
  "use strict";
  var D = document, OPTS = {maximumFractionDigits: 20};
  function numberFormat(locale) {
    try { return new Intl.NumberFormat(locale, OPTS); } catch (e) { return null; }
  }
  function digitsOf(nu) {
    var f = numberFormat("en-u-nu-" + nu), out = [];
    for (var i = 0; i < 10; i++) out.push(f ? f.format(i) : String(i));
    return out;
  }
  // Values: grouped in the reader's locale, and in the document's own digits.
  var reader = numberFormat(undefined), cache = {};
  D.querySelectorAll(".val[data-value]").forEach(function (el) {
    var v = el.getAttribute("data-value"), nu = el.getAttribute("data-nu") || "latn";
    var lang = el.getAttribute("data-lang") || "en", own = el.classList.contains("own");
    if (el.hasAttribute("data-num")) {
      var key = lang + "|" + nu;
      if (!(key in cache)) cache[key] = numberFormat(lang + "-u-nu-" + nu) || numberFormat("en-u-nu-" + nu);
      var f = own ? cache[key] : reader;
      if (f) el.textContent = f.format(v);
    } else if (own) {
      var digits = digitsOf(nu);
      el.textContent = v.replace(/[0-9]/g, function (d) { return digits[+d]; });
    }
  });
  // Tooltip: one element, filled from the claim's description on hover or focus.
  var tip = D.createElement("div");
  tip.id = "tip"; tip.className = "desc"; tip.setAttribute("role", "tooltip"); tip.setAttribute("aria-hidden", "true"); tip.hidden = true;
  D.body.appendChild(tip);
  var current = null, hideTimer = null;
  function show(link) {
    clearTimeout(hideTimer);
    var desc = D.getElementById(link.getAttribute("aria-describedby"));
    if (!desc) return;
    if (current !== link) { tip.innerHTML = desc.innerHTML; current = link; }
    tip.hidden = false;
    var rects = link.getClientRects(), r = rects.length ? rects[0] : link.getBoundingClientRect();
    var vw = D.documentElement.clientWidth, vh = window.innerHeight;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.max(8, Math.min(r.left + r.width / 2 - w / 2, vw - w - 8));
    var top = r.bottom + 6;
    if (top + h > vh && r.top - h - 6 > 0) top = r.top - h - 6;
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (top + window.scrollY) + "px";
  }
  function hide() { tip.hidden = true; current = null; }
  function hideSoon() { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 200); }
  D.querySelectorAll("mark.claim > a").forEach(function (a) {
    a.addEventListener("mouseenter", function () { show(a); });
    a.addEventListener("mouseleave", hideSoon);
    a.addEventListener("focus", function () { show(a); });
    a.addEventListener("blur", hideSoon);
    // A touch shows the details first (focus comes before the click: remember what was shown before);
    // a second touch follows the link to the table.
    var shownBefore = false;
    a.addEventListener("pointerdown", function () { shownBefore = !tip.hidden && current === a; });
    a.addEventListener("click", function (ev) {
      if (ev.pointerType === "touch" && !shownBefore) { ev.preventDefault(); show(a); }
      shownBefore = true;
    });
  });
  tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
  tip.addEventListener("mouseleave", hideSoon);
  D.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && !tip.hidden) hide(); });
  window.addEventListener("resize", hide);
  // Following a link to a highlight or a row puts the keyboard focus there too.
  function focusTarget() {
    var id = decodeURIComponent(location.hash.slice(1)), el = id && D.getElementById(id);
    if (!el) return;
    var a = el.querySelector("a[href]");
    if (a && D.activeElement !== a) a.focus({preventScroll: true});
  }
  window.addEventListener("hashchange", focusTarget);
  // Sortable tables: each header button sorts by its column, again for the other direction.
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  function compare(a, b) {
    if (a === "" || b === "") return a === b ? 0 : (a === "" ? 1 : -1);
    var x = Number(a), y = Number(b), xn = isFinite(x), yn = isFinite(y);
    if (xn && yn) return x - y;
    if (xn !== yn) return xn ? -1 : 1;
    return collator.compare(a, b);
  }
  D.querySelectorAll("table.claims").forEach(function (table) {
    var ths = table.tHead.rows[0].cells, body = table.tBodies[0];
    Array.prototype.forEach.call(ths, function (th, col) {
      var button = th.querySelector("button");
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(r1.cells[col].getAttribute("data-sort"), r2.cells[col].getAttribute("data-sort"));
          if (!asc && c) c = -c;
          return c || (+r1.getAttribute("data-n") - +r2.getAttribute("data-n"));
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  D.documentElement.setAttribute("data-ready", "1");
})();
