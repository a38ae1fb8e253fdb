import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// Docs written to break the site: the build renders them inert (visible as text) or stops with a
/// clear error; it never crashes and never emits live script.
@Suite("Hostile docs")
struct HostileDocTests {
    static let attack = """
    ---
    title: "</title><script>alert('title')</script>"
    owner: "<img src=x onerror=alert('owner')>"
    reviewed: 2026-01-01
    review_every: 30d
    ---

    # Attack <script>alert('h1')</script>

    <script>alert('block')</script>

    <img src=x onerror="alert('img')">

    Inline <img src=x onerror=alert('inline')> and <a href="javascript:alert('raw')">raw link</a>.

    [js](javascript:alert('js')) [JS](JaVaScRiPt:alert('JS')) [tab](java&#x09;script:alert('tab'))
    [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox)
    ![img](data:image/svg+xml,<svg/onload=alert('svg')>) <javascript:alert('auto')>
    [title](https://example.com "x\\" onmouseover=\\"alert('title-attr')")

    ## !!! ??? *** {#}

    ## ### @@@ $$$

    ## ???

    ## !!!

    ```bash" onmouseover="alert('info') {id=ok kind=diagnose}
    echo "</code></pre><script>alert('code')</script>"
    ```

    | a | <b onclick="alert('cell')">b</b> |
    |---|---|
    | <iframe src="javascript:alert('iframe')"></iframe> | `</td>` |

    """

    @Test("script, event handlers, javascript: and data: links are inert; symbol-only headings are fine")
    func inertOutput() throws {
        let config = try SiteTestSupport.project(texts: ["attack.md": Self.attack, "ok.md": "# OK\n\n[attack](attack.md)\n"])
        let out = try SiteTestSupport.temporaryFolder("hostile")
        try SiteTestSupport.build(config, into: out)
        let report = try SiteTestSupport.checkSite(out)
        #expect(report.problems == [])
        let page = String(decoding: try #require(SiteWriter.read(out.appendingPathComponent("attack.html").path)), as: UTF8.self)
        // The attack is shown as text: a reader can see what the doc says.
        #expect(page.contains("&lt;script&gt;alert(&#39;block&#39;)&lt;/script&gt;"))
        #expect(page.contains("<title>&lt;/title&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; · Test</title>"))
        #expect(page.contains("<span class=\"dead-link\">js</span>"))
        #expect(page.contains("<span class=\"dead-link\">data</span>"))
        #expect(!page.contains("href=\"javascript"))
        #expect(!page.lowercased().contains("<script>"))
        #expect(page.components(separatedBy: "<script").count == 3, "only the two script files of the site")
        let index = String(decoding: try #require(SiteWriter.read(out.appendingPathComponent("search-index.js").path)), as: UTF8.self)
        #expect(!index.contains("</script"))
        #expect(!index.contains("<"), "the search index escapes < so it is inert even inlined in HTML")
    }

    @Test("10,000 headings (most with the same text) build, with unique ids")
    func manyHeadings() throws {
        var text = "# Many\n\n"
        for i in 0..<10_000 { text += i % 2 == 0 ? "## 같은 제목\n\ntext \(i)\n\n" : "### Heading \(i)\n\n" }
        let config = try SiteTestSupport.project(texts: ["many.md": text])
        let out = try SiteTestSupport.temporaryFolder("many")
        try SiteTestSupport.build(config, into: out)
        let page = String(decoding: try #require(SiteWriter.read(out.appendingPathComponent("many.html").path)), as: UTF8.self)
        #expect(page.contains("<h2 id=\"같은-제목-4999\">"))
        #expect(page.components(separatedBy: "<h2 id=").count == 5_001)
        let report = try SiteTestSupport.checkSite(out)
        #expect(report.problems == [])
    }

    @Test("a 5 MB doc builds")
    func hugeDoc() throws {
        var text = "# Huge\n\n"
        let paragraph = "서비스 응답이 느려지면 먼저 대시보드를 확인합니다. <b>bold?</b> [link](#huge) `code` **strong** and more words here.\n\n"
        while text.utf8.count < 5_000_000 { text += paragraph }
        let config = try SiteTestSupport.project(texts: ["huge.md": text])
        let out = try SiteTestSupport.temporaryFolder("huge")
        try SiteTestSupport.build(config, into: out)
        let page = try #require(SiteWriter.read(out.appendingPathComponent("huge.html").path))
        #expect(page.count > 5_000_000)
        #expect(String(decoding: page, as: UTF8.self).components(separatedBy: "<script").count == 3)
    }

    // MARK: - Nesting

    static let deepDocs: [String: String] = [
        "lists": String(repeating: "- ", count: 10_000) + "x\n",
        "quotes": String(repeating: ">", count: 20_000) + " x\n",
        "emphasis": String(repeating: "*", count: 50_000) + "x" + String(repeating: "*", count: 50_000) + "\n",
    ]

    @Test("10,000 nested list items, 20,000 nested quotes, 50,000 emphasis markers: the build stops with file:line, writing nothing",
          arguments: ["lists", "quotes", "emphasis"])
    func deepNesting(kind: String) throws {
        let deep = try #require(Self.deepDocs[kind])
        let config = try SiteTestSupport.project(texts: ["deep.md": "# Deep\n\n" + deep, "ok.md": "# OK\n"])
        let out = try SiteTestSupport.temporaryFolder("deep")
        let error = try #require(throws: DiagnosticsError.self) { try SiteTestSupport.build(config, into: out) }
        #expect(error.diagnostics.map(\.code) == [.nestedTooDeep])
        #expect(error.description.hasPrefix("docs/deep.md:3: error: markdown nested more than \(CommonMarkConverter.maxDepth) levels deep"))
        #expect(SiteTestSupport.snapshot(out).isEmpty)
    }

    @Test("nesting up to the limit renders on every walk: heading, quote, list, table cell, link")
    func nestingAtTheLimit() throws {
        let depth = CommonMarkConverter.maxDepth
        func emphases(_ n: Int) -> String { String(repeating: "*a ", count: n) + "x" + String(repeating: "*", count: n) }
        // Each text node lands at the deepest depth kept.
        var text = "# " + emphases(depth - 2) + "\n\n"
        text += String(repeating: ">", count: depth - 2) + " x\n\n"
        text += String(repeating: "- ", count: depth / 2 - 1) + "x\n\n"
        text += "| h |\n|---|\n| " + emphases(depth - 5) + " |\n\n"
        text += "[" + emphases(depth - 3) + "](limit.md)\n"
        let config = try SiteTestSupport.project(texts: ["limit.md": text])
        let docSet = try DocSet.load(configPath: config)
        #expect(docSet.diagnostics == [])
        let out = try SiteTestSupport.temporaryFolder("limit")
        _ = try SiteBuilder(docSet: docSet).build(into: out)
        let page = String(decoding: try #require(SiteWriter.read(out.appendingPathComponent("limit.html").path)), as: UTF8.self)
        #expect(page.components(separatedBy: "<blockquote>").count - 1 == depth - 2)
        #expect(page.components(separatedBy: "<ul>").count - 1 >= depth / 2 - 1)
        #expect(page.components(separatedBy: "<em>").count - 1 == (depth - 2) + (depth - 5) + (depth - 3))
        let index = String(decoding: try #require(SiteWriter.read(out.appendingPathComponent("search-index.js").path)), as: UTF8.self)
        #expect(index.contains("\"limit.html\""))
    }

    // MARK: - Tables

    @Test("a 5,000 x 200 table builds, every row and cell on the page")
    func bigTable() throws {
        let columns = 200, rows = 5_000
        var text = "# 큰 표\n\n|" + (0..<columns).map { "h\($0)" }.joined(separator: "|") + "|\n"
        text += "|" + Array(repeating: "---", count: columns).joined(separator: "|") + "|\n"
        for r in 0..<rows { text += "|" + (0..<columns).map { "r\(r)c\($0)" }.joined(separator: "|") + "|\n" }
        let config = try SiteTestSupport.project(texts: ["table.md": text])
        let out = try SiteTestSupport.temporaryFolder("table")
        try SiteTestSupport.build(config, into: out)
        let page = String(decoding: try #require(SiteWriter.read(out.appendingPathComponent("table.html").path)), as: UTF8.self)
        #expect(page.components(separatedBy: "<tr>").count - 1 == rows + 1)
        #expect(page.components(separatedBy: "<td>").count - 1 == rows * columns)
        #expect(page.contains("<td>r4999c199</td>"))
        let index = String(decoding: try #require(SiteWriter.read(out.appendingPathComponent("search-index.js").path)), as: UTF8.self)
        #expect(index.contains("\"r4999c199\""))
    }

    @Test("tables that would make cmark-gfm build millions of cells or walk long rows stop the build at their line",
          arguments: ["wide", "cells", "row"])
    func tableOverBudget(kind: String) throws {
        let text: String
        switch kind {
        case "wide": text = "# T\n\n|" + String(repeating: "a|", count: 10_000) + "\n|" + String(repeating: "-|", count: 10_000) + "\n" + String(repeating: "x\n", count: 1_000)
        case "cells": text = "# T\n\n|" + String(repeating: "a|", count: 900) + "\n|" + String(repeating: "-|", count: 900) + "\n" + String(repeating: "x\n", count: 2_500)
        default: text = "# T\n\n|a|b|\n|-|-|\n" + String(repeating: "|x", count: 40_000) + "|\n"
        }
        let config = try SiteTestSupport.project(texts: ["t.md": text])
        let out = try SiteTestSupport.temporaryFolder("table-budget")
        let error = try #require(throws: DiagnosticsError.self) { try SiteTestSupport.build(config, into: out) }
        #expect(error.diagnostics.map(\.code) == [.tableTooLarge])
        #expect(error.description.hasPrefix(kind == "row" ? "docs/t.md:5: error: a table row of" : "docs/t.md:3: error: "))
    }

    // MARK: - Symbolic links

    /// A file outside the project whose every line is unique, to look for in the site.
    static func secretFile() throws -> (path: String, lines: [String]) {
        let folder = try SiteTestSupport.temporaryFolder("secret")
        let lines = ["root:x:0:0:root:/root:/bin/bash", "secret-\(UUID().uuidString)"]
        let url = folder.appendingPathComponent("passwd")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return (url.path, lines)
    }

    static func siteText(_ out: URL) -> String {
        SiteTestSupport.snapshot(out).values.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    }

    @Test("docs/link.md linked to a file outside: the build stops naming the link and its target; nothing of the file reaches the site")
    func docLinkedOutside() throws {
        let secret = try Self.secretFile()
        let config = try SiteTestSupport.project(texts: ["ok.md": "# OK\n"])
        let out = try SiteTestSupport.temporaryFolder("symlink")
        try SiteTestSupport.build(config, into: out)
        let docs = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("docs")
        try FileManager.default.createSymbolicLink(atPath: docs.appendingPathComponent("link.md").path, withDestinationPath: secret.path)

        let error = try #require(throws: DiagnosticsError.self) { try SiteTestSupport.build(config, into: out) }
        let realSecret = URL(fileURLWithPath: secret.path).resolvingSymlinksInPath().path
        #expect(error.description.hasPrefix("docs/link.md:0: error: is a symbolic link to \(realSecret), outside the docs folder docs;"))
        #expect(throws: DiagnosticsError.self) { try SiteBuilder(docSet: DocSet.load(configPath: config)).render() }
        let site = Self.siteText(out)
        #expect(site.contains("OK"), "the previous site stays")
        for line in secret.lines { #expect(!site.contains(line)) }
    }

    @Test("the build cache takes no shortcut past a doc link that leads out of the docs folder")
    func cacheSeesLinkOutside() throws {
        let secret = try Self.secretFile()
        let config = try SiteTestSupport.project(texts: ["ok.md": "# OK\n"])
        let before = try #require(SiteBuildCache.inputs(configPath: config))
        let docs = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("docs")
        try FileManager.default.createSymbolicLink(atPath: docs.appendingPathComponent("link.md").path, withDestinationPath: secret.path)
        #expect(SiteBuildCache.inputs(configPath: config) == nil, "was \(before.fingerprint): the link would go unreported")
        // A link that stays inside is an input like any doc.
        try FileManager.default.removeItem(atPath: docs.appendingPathComponent("link.md").path)
        try FileManager.default.createSymbolicLink(atPath: docs.appendingPathComponent("alias.md").path, withDestinationPath: "ok.md")
        let after = try #require(SiteBuildCache.inputs(configPath: config))
        #expect(after != before)
    }

    @Test("a theme file linked outside the theme folder is an error naming it; nothing of it reaches the site")
    func themeLinkedOutside() throws {
        let secret = try Self.secretFile()
        let config = try SiteTestSupport.project(texts: ["ok.md": "# OK\n"], config: "[site]\ntitle = \"T\"\ndocs = \"docs\"\ntheme = \"theme\"\n")
        let theme = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("theme")
        try FileManager.default.createDirectory(at: theme, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: theme.appendingPathComponent("logo.svg").path, withDestinationPath: secret.path)
        let out = try SiteTestSupport.temporaryFolder("theme-symlink")
        let error = try #require(throws: ConfigError.self) { try SiteTestSupport.build(config, into: out) }
        #expect(error.message.contains("theme/logo.svg is a symbolic link to \(URL(fileURLWithPath: secret.path).resolvingSymlinksInPath().path), outside the theme folder"))
        for line in secret.lines { #expect(!Self.siteText(out).contains(line)) }
    }

    @Test("invalid UTF-8 bytes become U+FFFD with a warning at the first one's line; the output is valid UTF-8 and HTML5")
    func invalidUTF8() throws {
        var bytes = Array("---\ntitle: 깨진 문서\n---\n\n# 깨진 \u{FFFD}".utf8)
        bytes += [0xFF, 0xFE, 0x0A, 0x0A]
        bytes += Array("본문 ".utf8) + [0xED, 0x95] + Array(" 끝 ".utf8) + [0xC0, 0xAF, 0x00] + Array("\n".utf8)
        let config = try SiteTestSupport.project(["broken.md": bytes])
        let docSet = try DocSet.load(configPath: config)
        let warnings = docSet.diagnostics.filter { $0.code == .invalidUTF8 }
        #expect(warnings.map(\.description) == ["docs/broken.md:5: warning: holds bytes that are not UTF-8 (the first one on this line); they show as \u{FFFD} (U+FFFD); save the file as UTF-8"])
        let out = try SiteTestSupport.temporaryFolder("utf8")
        try SiteTestSupport.build(config, into: out)
        let page = try #require(SiteWriter.read(out.appendingPathComponent("broken.html").path))
        #expect(String(validating: page, as: UTF8.self) != nil)
        #expect(String(decoding: page, as: UTF8.self).contains("본문 \u{FFFD}"))
        let report = try SiteTestSupport.checkSite(out)
        #expect(report.problems == [])
    }
}
