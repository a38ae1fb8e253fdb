import RunbookCore
/// The default templates and assets, embedded so the binary needs no files beside it.
///
/// A theme folder (`[site] theme = "DIR"`) overrides any of them by file name: `page.html`,
/// `style.css`, `site.js`. See ``Theme`` for the template variables.
enum EmbeddedTheme {
    /// The layout of every page: the index, each doc, and 404.
    static let page = """
    <!DOCTYPE html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · {{site_title}}</title>
    <link rel="stylesheet" href="{{root}}style.css">
    <script src="{{root}}search-index.js" defer></script>
    <script src="{{root}}site.js" defer></script>
    </head>
    <body class="{{page_kind}}" data-root="{{root}}">
    <a class="skip" href="#rb-main">본문으로 건너뛰기</a>
    <header class="site">
    {{nav}}
    <div class="search" role="search" hidden>
    <label for="rb-search">검색</label>
    <input id="rb-search" type="search" placeholder="검색: 한국어 또는 English ( / )" autocomplete="off" aria-keyshortcuts="/" aria-controls="rb-results" aria-describedby="rb-search-status">
    <p id="rb-search-status" class="search-status" aria-live="polite"></p>
    <ol id="rb-results" class="results" hidden></ol>
    </div>
    </header>
    <div class="layout">
    {{toc}}
    <main id="rb-main" tabindex="-1">
    {{meta}}
    {{content}}
    </main>
    </div>
    <footer class="site">{{footer}}</footer>
    </body>
    </html>

    """

    static let style = """
    :root { color-scheme: light dark; --fg: #1b1f24; --bg: #ffffff; --muted: #57606a; --line: #d0d7de; --code-bg: #f6f8fa;
      --accent: #0969da; --act: #cf222e; --diagnose: #0969da; --verify: #1a7f37; --warn-bg: #fff1e5; --mark: #fff8c5; }
    @media (prefers-color-scheme: dark) {
      :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --line: #30363d; --code-bg: #161b22; --accent: #4493f8;
        --act: #f85149; --diagnose: #4493f8; --verify: #3fb950; --warn-bg: #3d1d00; --mark: #3b2f00; }
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; color: var(--fg); background: var(--bg); font: 16px/1.6 system-ui, -apple-system, "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; overflow-wrap: break-word; word-break: keep-all; }
    a { color: var(--accent); }
    a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible, main:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .skip { position: absolute; left: -9999px; top: 0; background: var(--bg); padding: 8px; z-index: 10; }
    .skip:focus { left: 8px; }
    header.site, .layout, footer.site { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
    header.site { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; border-bottom: 1px solid var(--line); padding-top: 8px; padding-bottom: 8px; position: relative; }
    nav.global { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: baseline; flex: 1 1 320px; }
    nav.global .home { font-weight: 700; color: var(--fg); text-decoration: none; }
    nav.global ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0; padding: 0; }
    nav.global a { text-decoration: none; }
    nav.global a[aria-current] { font-weight: 600; text-decoration: underline; }
    .search { flex: 1 1 280px; position: relative; }
    .search label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .search input { width: 100%; font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
    .search-status { margin: 0; font-size: 13px; color: var(--muted); min-height: 0; }
    .search-status:empty { display: none; }
    ol.results { list-style: none; margin: 4px 0 0; padding: 0; position: absolute; left: 0; right: 0; z-index: 5; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; max-height: 70vh; overflow-y: auto; box-shadow: 0 8px 24px rgba(0,0,0,.2); }
    ol.results li { border-bottom: 1px solid var(--line); }
    ol.results li:last-child { border-bottom: 0; }
    ol.results a { display: block; padding: 8px 12px; text-decoration: none; color: var(--fg); }
    ol.results a:hover, ol.results a:focus { background: var(--code-bg); }
    ol.results .r-doc { display: block; font-size: 12px; color: var(--muted); }
    ol.results .r-title { display: block; font-weight: 600; color: var(--accent); }
    ol.results .r-text { display: block; font-size: 13px; color: var(--muted); }
    .layout { display: flex; gap: 32px; align-items: flex-start; }
    main { flex: 1 1 auto; min-width: 0; padding-bottom: 32px; }
    details.toc { flex: 0 0 240px; position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow-y: auto; font-size: 14px; margin-top: 16px; }
    details.toc summary { font-weight: 600; cursor: pointer; }
    details.toc ol { list-style: none; margin: 8px 0; padding: 0; }
    details.toc li { margin: 2px 0; }
    details.toc .toc-3 { padding-left: 12px; } details.toc .toc-4, details.toc .toc-5, details.toc .toc-6 { padding-left: 24px; }
    details.toc a { text-decoration: none; }
    h1, h2, h3, h4, h5, h6 { line-height: 1.3; scroll-margin-top: 8px; }
    .anchor { margin-left: 8px; color: var(--muted); text-decoration: none; font-weight: normal; opacity: .6; }
    .doc-meta { display: flex; flex-wrap: wrap; gap: 4px 16px; color: var(--muted); font-size: 14px; margin-top: 16px; }
    .overdue-flag { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 4px; background: var(--warn-bg); color: var(--act); font-weight: 600; font-size: 12px; }
    time.overdue { color: var(--act); font-weight: 600; }
    pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "D2Coding", monospace; font-size: 14px; }
    :not(pre) > code { background: var(--code-bg); padding: 1px 4px; border-radius: 4px; }
    .code { position: relative; }
    pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow-x: auto; word-break: normal; }
    button.copy { display: none; font: 12px/1.4 system-ui, sans-serif; padding: 2px 8px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); cursor: pointer; }
    .js button.copy { display: inline-block; }
    .code > button.copy { position: absolute; top: 6px; right: 6px; }
    .run { display: flex; gap: 8px; align-items: center; margin: 4px 0 16px; }
    .run code { flex: 0 1 auto; min-width: 0; padding: 2px 6px; overflow-wrap: anywhere; word-break: break-all; }
    .run button.copy { flex: none; }
    .section-run::before { content: "▶"; color: var(--act); font-size: 12px; }
    figure.step { margin: 16px 0; border-left: 4px solid var(--diagnose); padding-left: 12px; }
    figure.step.kind-act { border-color: var(--act); }
    figure.step.kind-verify { border-color: var(--verify); }
    figcaption { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: 14px; }
    .step-id { font-family: ui-monospace, monospace; font-weight: 600; }
    .badge { border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; font-size: 12px; }
    .badge.kind-act { color: var(--act); border-color: var(--act); }
    .badge.kind-diagnose { color: var(--diagnose); border-color: var(--diagnose); }
    .badge.kind-verify { color: var(--verify); border-color: var(--verify); }
    .timeout { color: var(--muted); font-size: 12px; }
    .table { overflow-x: auto; }
    table { border-collapse: collapse; margin: 12px 0; }
    th, td { border: 1px solid var(--line); padding: 6px 10px; vertical-align: top; text-align: left; }
    td.center, th.center { text-align: center; } td.right, th.right { text-align: right; }
    ul.tasks { list-style: none; padding-left: 8px; }
    ul.sections { margin: 0; padding-left: 16px; }
    .dead-link { text-decoration: line-through; color: var(--muted); }
    .sh-comment { color: var(--muted); font-style: italic; } .sh-string { color: var(--verify); }
    .sh-flag { color: var(--diagnose); } .sh-var { color: var(--act); }
    footer.site { color: var(--muted); font-size: 13px; padding-top: 24px; padding-bottom: 24px; border-top: 1px solid var(--line); }
    @media (max-width: 899px) {
      .layout { display: block; }
      details.toc { position: static; max-height: none; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
      table.doc-index thead { display: none; }
      table.doc-index tr { display: block; border: 1px solid var(--line); border-radius: 6px; margin: 0 0 12px; padding: 8px; }
      table.doc-index td { display: block; border: 0; padding: 2px 0; }
      table.doc-index td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: 13px; }
    }
    @media print {
      header.site, details.toc, button.copy, .anchor, .skip, .search, footer.site { display: none !important; }
      body { font-size: 11pt; color: #000; background: #fff; }
      .layout { display: block; max-width: none; padding: 0; }
      main { break-before: page; }
      pre { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-all; border-color: #999; background: #fff; }
      .run code { white-space: pre-wrap; }
      figure.step, .code, tr { break-inside: avoid; }
      h1, h2, h3, h4 { break-after: avoid; }
      main a[href]:not(.anchor)::after { content: " <" attr(href) ">"; font-size: 9pt; color: #333; overflow-wrap: anywhere; }
      main a[href^="#"]::after { content: ""; }
    }

    """

    /// Copy buttons, overdue flags, and search over `search-index.js`. Plain DOM, no framework.
    static let script = """
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
      var wordChar = /[\\p{L}\\p{N}_]/u;
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

    """
}
