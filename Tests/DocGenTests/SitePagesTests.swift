import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// What a reader sees on the pages: the index, step blocks, run commands, navigation, 404, sitemap.
@Suite("Site pages")
struct SitePagesTests {
    let files: [String: String]

    init() throws {
        let rendered = try SiteBuilder(docSet: try DocSet.load(configPath: SiteTestSupport.docsetConfig)).render()
        files = rendered.mapValues { String(decoding: $0, as: UTF8.self) }
    }

    @Test("the index lists every doc with owner, reviewed date, due date and executable sections")
    func index() throws {
        let index = try #require(files["index.html"])
        for title in ["장애 대응 가이드", "배포 런북", "연락처"] { #expect(index.contains(title)) }
        #expect(index.contains("backend-oncall"))
        #expect(index.contains("<time datetime=\"2020-01-15\">2020-01-15</time>"))
        // reviewed 2020-01-15 + 90 days
        #expect(index.contains("<time class=\"due\" datetime=\"2020-04-14\">2020-04-14</time>"))
        #expect(index.contains("<a href=\"incident-response.html#api-down\">API 서버 무응답</a>"))
        #expect(index.contains("<code>runbook exec incident-response#api-down</code>"))
        #expect(index.contains("<code>runbook exec runbook#rollback</code>"))
        #expect(!index.contains("runbook exec incident-response#db-down"), "a section without steps is not executable")
    }

    @Test("a step shows its id, kind and the exact command to run just that step, with copy buttons")
    func stepBlocks() throws {
        let page = try #require(files["incident-response.html"])
        #expect(page.contains("<figure class=\"step kind-act\" id=\"step-redeploy\">"))
        #expect(page.contains("<span class=\"step-id\">redeploy</span><span class=\"badge kind-act\">act</span>"))
        #expect(page.contains("<code>runbook exec incident-response#api-down --only redeploy</code><button type=\"button\" class=\"copy\" data-copy=\"runbook exec incident-response#api-down --only redeploy\""))
        #expect(page.contains("<div class=\"run section-run\"><code>runbook exec incident-response#api-down</code>"))
        #expect(page.contains("<span class=\"badge cond\">if failed:health-after</span>"))
        // server-side shell highlighting: flags, variables, strings, comments
        #expect(page.contains("<span class=\"sh-flag\">--cluster</span> <span class=\"sh-var\">${CLUSTER}</span>"))
        #expect(page.contains("<span class=\"sh-string\">&quot;ERROR&quot;</span>"))
        #expect(page.contains("<span class=\"sh-comment\"># 헬스 체크</span>"))
        #expect(page.contains("<span class=\"sh-var\">&lt;task-id&gt;</span>"))
        // a plain code block gets a copy button, no step chrome
        #expect(page.contains("<code class=\"language-sql\">SELECT count(*) FROM pg_stat_activity;\n</code></pre><button type=\"button\" class=\"copy\""))
    }

    @Test("every page has the language, global navigation, search box and scripts; docs have a TOC and permalinks")
    func chrome() throws {
        for (name, page) in files where name.hasSuffix(".html") {
            #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"ko\">"), "\(name)")
            #expect(page.contains("<nav class=\"global\""), "\(name)")
            #expect(page.contains("<input id=\"rb-search\""), "\(name)")
            #expect(page.contains("search-index.js\" defer></script>"), "\(name)")
        }
        let nested = try #require(files["team/contacts.html"])
        #expect(nested.contains("<link rel=\"stylesheet\" href=\"../style.css\">"))
        #expect(nested.contains("<a href=\"../incident-response.html\">장애 대응 가이드</a>"))
        let page = try #require(files["incident-response.html"])
        #expect(page.contains("<details class=\"toc\"><summary>목차</summary><ol><li class=\"toc-2\"><a href=\"#api-down\">API 서버 무응답</a></li>"))
        #expect(page.contains("<h2 id=\"api-down\">API 서버 무응답<a class=\"anchor\" href=\"#api-down\""))
        #expect(page.contains("<a href=\"incident-response.html\" aria-current=\"page\">"))
    }

    @Test("links between docs keep their anchors")
    func crossDocLinks() throws {
        let page = try #require(files["incident-response.html"])
        #expect(page.contains("<a href=\"runbook.html#rollback\">롤백 절차</a>"))
        #expect(page.contains("<a href=\"team/contacts.html#escalation\">연락처</a>"))
        let runbook = try #require(files["runbook.html"])
        #expect(runbook.contains("<a href=\"incident-response.html#api-down\">장애 대응</a>"))
        #expect(runbook.contains("<a href=\"#rollback\">이 페이지 위</a>"))
    }

    @Test("404 and sitemap use [site] base_url")
    func notFoundAndSitemap() throws {
        let notFound = try #require(files["404.html"])
        #expect(notFound.contains("href=\"https://ops.example.com/runbook/style.css\""))
        let sitemap = try #require(files["sitemap.xml"])
        #expect(sitemap.contains("<url><loc>https://ops.example.com/runbook/team/contacts.html</loc><lastmod>2026-10-01</lastmod></url>"))
    }

    @Test("without base_url the sitemap has relative URLs and says how to fix it")
    func sitemapWithoutBaseURL() throws {
        let config = try SiteTestSupport.project(texts: ["a.md": "# A\n"])
        let files = try SiteBuilder(docSet: try DocSet.load(configPath: config)).render()
        let sitemap = String(decoding: try #require(files["sitemap.xml"]), as: UTF8.self)
        #expect(sitemap.contains("<loc>a.html</loc>"))
        #expect(sitemap.contains("Set [site] base_url"))
    }

    @Test("overdue is left to the browser: the HTML carries only the due date")
    func overdueInBrowser() throws {
        let page = try #require(files["incident-response.html"])
        #expect(page.contains("<time class=\"due\" datetime=\"2020-04-14\">"))
        #expect(!page.contains("overdue"))
        let script = try #require(files["site.js"])
        #expect(script.contains("time.due[datetime]"))
    }

    @Test("a link to a missing doc or anchor stops the build with file:line")
    func brokenLinks() throws {
        let config = try SiteTestSupport.project(texts: [
            "a.md": "# A\n\nsee [b](b.md#nope)\n\nand [c](c.md)\n",
            "b.md": "# B\n",
        ])
        let docSet = try DocSet.load(configPath: config)
        let error = #expect(throws: DiagnosticsError.self) { try SiteBuilder(docSet: docSet).render() }
        let text = error?.description ?? ""
        #expect(text.contains("docs/a.md:3: error: broken link 'b.md#nope'"))
        #expect(text.contains("docs/a.md:5: error: broken link 'c.md'"))
    }

    @Test("a doc named index.md cannot overwrite the index page")
    func reservedNames() throws {
        let config = try SiteTestSupport.project(texts: ["index.md": "# Index\n"])
        let docSet = try DocSet.load(configPath: config)
        #expect(throws: DiagnosticsError.self) { try SiteBuilder(docSet: docSet).render() }
    }
}
