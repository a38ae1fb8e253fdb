/// The default templates and stylesheet, embedded so the binary needs no files beside it.
enum EmbeddedTheme {
    static let page = """
    <!DOCTYPE html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · {{site_title}}</title>
    <link rel="stylesheet" href="{{root}}style.css">
    </head>
    <body>
    <header class="site">{{nav}}</header>
    <main>
    <div class="doc-meta">{{meta}}</div>
    {{content}}
    </main>
    <footer class="site"><span>source: <code>{{source}}</code></span></footer>
    </body>
    </html>

    """

    static let style = """
    :root { --fg: #1b1f24; --bg: #ffffff; --muted: #57606a; --line: #d0d7de; --code-bg: #f6f8fa; --accent: #0969da;
      --act: #cf222e; --diagnose: #0969da; --verify: #1a7f37; }
    @media (prefers-color-scheme: dark) {
      :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --line: #30363d; --code-bg: #161b22; --accent: #4493f8;
        --act: #f85149; --diagnose: #4493f8; --verify: #3fb950; }
    }
    * { box-sizing: border-box; }
    body { margin: 0; color: var(--fg); background: var(--bg); font: 16px/1.6 system-ui, -apple-system, "Noto Sans KR", "Apple SD Gothic Neo", sans-serif; }
    header.site, main, footer.site { max-width: 960px; margin: 0 auto; padding: 0 16px; }
    nav.global { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; padding: 12px 0; border-bottom: 1px solid var(--line); }
    nav.global ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0; padding: 0; }
    nav.global a { color: var(--accent); text-decoration: none; }
    nav.global a[aria-current] { font-weight: 600; text-decoration: underline; }
    a { color: var(--accent); }
    h1, h2, h3, h4 { line-height: 1.3; }
    .anchor { margin-left: 8px; color: var(--muted); text-decoration: none; font-weight: normal; opacity: .5; }
    .doc-meta { display: flex; flex-wrap: wrap; gap: 4px 16px; color: var(--muted); font-size: 14px; margin-top: 12px; }
    pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 14px; }
    .code { position: relative; }
    pre { background: var(--code-bg); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow-x: auto; }
    .copy { position: absolute; top: 6px; right: 6px; font-size: 12px; }
    .run { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 4px 0 16px; }
    .run .copy { position: static; }
    .run code { background: var(--code-bg); padding: 2px 6px; border-radius: 4px; overflow-wrap: anywhere; }
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
    th, td { border: 1px solid var(--line); padding: 6px 10px; vertical-align: top; }
    td.center, th.center { text-align: center; } td.right, th.right { text-align: right; }
    ul.tasks { list-style: none; padding-left: 8px; }
    .sh-comment { color: var(--muted); font-style: italic; } .sh-string { color: var(--verify); }
    .sh-flag { color: var(--diagnose); } .sh-var { color: var(--act); }
    footer.site { color: var(--muted); font-size: 13px; padding: 24px 16px; }
    @media print {
      header.site, .copy, .anchor { display: none; }
      pre { white-space: pre-wrap; overflow-wrap: anywhere; }
      a[href^="http"]::after { content: " (" attr(href) ")"; }
    }

    """
}
