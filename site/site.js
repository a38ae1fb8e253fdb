/* runbook site script: copy buttons, overdue review dates, search. No framework, no network. */
(function () {
  "use strict";
  var d = document;
  d.documentElement.classList.add("js");
  var root = d.body.getAttribute("data-root") || "";

  /* Copy buttons: data-copy holds the exact text, else the code block beside the button. */
  function fallbackCopy(text) {
    var ta = d.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
    d.body.appendChild(ta); ta.select();
    var ok = false;
    try { ok = d.execCommand("copy"); } catch (e) { ok = false; }
    d.body.removeChild(ta);
    return ok;
  }
  function flash(button, ok) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = ok ? "복사됨" : "복사 실패";
    setTimeout(function () { button.textContent = label; }, 1500);
  }
  d.addEventListener("click", function (e) {
    var b = e.target && e.target.closest ? e.target.closest("button.copy") : null;
    if (!b) return;
    var text = b.getAttribute("data-copy");
    if (text === null) { var pre = b.parentNode.querySelector("pre"); text = pre ? pre.textContent : ""; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { flash(b, true); }, function () { flash(b, fallbackCopy(text)); });
    } else {
      flash(b, fallbackCopy(text));
    }
  });

  /* Overdue reviews: computed here from the due date, so the HTML never changes with the day. */
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  Array.prototype.forEach.call(d.querySelectorAll("time.due[datetime]"), function (t) {
    if (t.getAttribute("datetime") < today) {
      t.classList.add("overdue");
      var flag = d.createElement("span");
      flag.className = "overdue-flag";
      flag.textContent = "검토 기한 지남";
      t.parentNode.insertBefore(flag, t.nextSibling);
    }
  });

  /* The table of contents is open beside the text on wide screens, folded on phones. */
  var toc = d.querySelector("details.toc");
  if (toc && window.matchMedia && window.matchMedia("(min-width: 900px)").matches) toc.open = true;

  /* Search: search-index.js defines window.RUNBOOK_SEARCH (a script, so it loads from file:// too).
     Words are matched by prefix; Hangul is indexed as bigrams, so a word is found inside a longer
     word or with a particle attached. */
  var data = window.RUNBOOK_SEARCH;
  var box = d.getElementById("rb-search");
  var list = d.getElementById("rb-results");
  var status = d.getElementById("rb-search-status");
  var wrap = box ? box.closest(".search") : null;
  if (!data || !box || !list || !wrap) return;
  wrap.hidden = false;
  var keys = data.keys, postings = data.postings, cache = new Map();

  function isHangul(c) { var x = c.charCodeAt(0); return x >= 0xAC00 && x <= 0xD7A3; }
  var wordChar = /[\p{L}\p{N}_]/u;
  function runs(text) {
    var out = [], cur = "", curH = false;
    for (var ch of text.toLowerCase()) {
      var h = isHangul(ch), w = h || wordChar.test(ch);
      if (w && cur && h !== curH) { out.push({ hangul: curH, text: cur }); cur = ""; }
      if (w) { cur += ch; curH = h; } else if (cur) { out.push({ hangul: curH, text: cur }); cur = ""; }
    }
    if (cur) out.push({ hangul: curH, text: cur });
    return out;
  }
  function decode(i) {
    if (cache.has(i)) return cache.get(i);
    var gaps = postings[i], out = [], n = 0;
    for (var j = 0; j < gaps.length; j++) { n += gaps[j]; out.push(n); }
    cache.set(i, out);
    return out;
  }
  function lowerBound(k) {
    var lo = 0, hi = keys.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < k) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function exact(k) { var i = lowerBound(k); return new Set(i < keys.length && keys[i] === k ? decode(i) : []); }
  function prefix(p) {
    var out = new Set();
    for (var i = lowerBound(p); i < keys.length && keys[i].lastIndexOf(p, 0) === 0; i++) decode(i).forEach(function (s) { out.add(s); });
    return out;
  }
  function intersect(sets) {
    if (!sets.length) return new Set();
    sets.sort(function (a, b) { return a.size - b.size; });
    var out = new Set();
    sets[0].forEach(function (s) { if (sets.every(function (x) { return x.has(s); })) out.add(s); });
    return out;
  }
  function match(run) {
    if (!run.hangul || run.text.length === 1) return prefix(run.text);
    var grams = [];
    for (var i = 0; i + 1 < run.text.length; i++) grams.push(run.text.substr(i, 2));
    var found = intersect(grams.map(exact));
    /* A particle the docs do not use (대시보드를 vs 대시보드가): drop the last bigram and try again. */
    if (!found.size && grams.length > 2) found = intersect(grams.slice(0, -1).map(exact));
    return found;
  }
  function search(q) {
    var rs = runs(q);
    if (!rs.length) return [];
    var hits = intersect(rs.map(match));
    var ranked = [];
    hits.forEach(function (s) {
      var sec = data.sections[s], head = sec[2].toLowerCase(), score = 0;
      rs.forEach(function (r) { if (head.indexOf(r.text) >= 0) score += 1; });
      ranked.push([score, s]);
    });
    ranked.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return ranked.slice(0, 30).map(function (r) { return r[1]; });
  }
  function span(cls, text) { var e = d.createElement("span"); e.className = cls; e.textContent = text; return e; }
  function show(q) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!q.trim()) { list.hidden = true; status.textContent = ""; return; }
    var found = search(q);
    found.forEach(function (s) {
      var sec = data.sections[s], doc = data.docs[sec[0]];
      var a = d.createElement("a");
      a.href = root + doc[0] + (sec[1] ? "#" + encodeURIComponent(sec[1]) : "");
      a.appendChild(span("r-doc", doc[1]));
      a.appendChild(span("r-title", sec[2]));
      if (sec[3]) a.appendChild(span("r-text", sec[3]));
      var li = d.createElement("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = found.length === 0;
    status.textContent = found.length ? found.length + "건" : "결과 없음";
  }
  box.addEventListener("input", function () { show(box.value); });
  box.addEventListener("keydown", function (e) {
    var first = list.querySelector("a");
    if (e.key === "Enter" && first) { e.preventDefault(); first.click(); }
    else if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
    else if (e.key === "Escape") { box.value = ""; show(""); }
  });
  list.addEventListener("keydown", function (e) {
    var li = e.target.closest("li");
    if (!li) return;
    if (e.key === "ArrowDown" && li.nextElementSibling) { e.preventDefault(); li.nextElementSibling.querySelector("a").focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); if (li.previousElementSibling) li.previousElementSibling.querySelector("a").focus(); else box.focus(); }
    else if (e.key === "Escape") { box.focus(); box.value = ""; show(""); }
  });
  d.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    box.focus();
    box.select();
  });
  /* ?q=WORD opens the page with that search done (links, bookmarks, and the browser test). */
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { box.value = q; box.dispatchEvent(new Event("input")); }
})();
