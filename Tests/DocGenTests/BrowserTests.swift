import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// A real browser (Debian's headless chromium, driven over the DevTools protocol) opens the built
/// site from disk, searches by keyboard, and takes screenshots at phone and desktop widths.
@Suite("Site in a real browser")
struct BrowserTests {
    struct Seen: Decodable {
        var error: String?
        var search_visible: Bool?
        var slash_focuses_search: Bool?
        var results: [[String]]?
        var after_enter: String?
        var english_results: [[String]]?
        var overdue_flags: Int?
        var w375_overflow: Int?
        var w1280_overflow: Int?
        var w375_screenshot: String?
        var w1280_screenshot: String?
        var dark_background: String?
        var copy_button_text: String?
        var clipboard: String?
        var print: [String: String]?
    }

    @Test("from file://: '/' and a Korean word from mid-sentence find the section, copy buttons copy, dark and print styles apply; screenshots at 375 and 1280 px")
    func searchFromDisk() throws {
        let out = try SiteTestSupport.temporaryFolder("browser")
        try SiteTestSupport.build(SiteTestSupport.docsetConfig, into: out)
        let artifacts = SiteTestSupport.artifacts.appendingPathComponent("site")
        // "대시보드" is written only as "대시보드를", in the middle of a sentence.
        let result = try SiteTestSupport.run("python3", [
            SiteTestSupport.tools.appendingPathComponent("browser_check.py").path, out.path, "대시보드", "Rollback", "incident-response.html", artifacts.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let seen = try JSONDecoder().decode(Seen.self, from: Data(result.stdout.utf8))
        #expect(seen.error == nil, "\(seen.error ?? "")")
        #expect(seen.search_visible == true)
        #expect(seen.slash_focuses_search == true)
        #expect(seen.results?.first == ["incident-response.html#api-down", "API 서버 무응답"])
        #expect(seen.after_enter == "incident-response.html#api-down", "Enter opens the first result at its heading")
        #expect(seen.english_results?.contains(["runbook.html#rollback", "롤백"]) == true, "English words are found too")
        #expect((seen.overdue_flags ?? 0) >= 1, "the 2020 review is flagged overdue by the browser")
        #expect((seen.w375_overflow ?? 1) <= 0, "nothing scrolls sideways at 375 px")
        #expect((seen.w1280_overflow ?? 1) <= 0)
        #expect(seen.copy_button_text == "복사됨", "the copy button confirms")
        #expect(seen.clipboard == "runbook exec incident-response#api-down --only health-before", "a click copies the exact command")
        #expect(seen.dark_background == "rgb(13, 17, 23)", "dark mode from prefers-color-scheme")
        #expect(seen.print?["header"] == "none", "no navigation on paper")
        #expect(seen.print?["toc"] == "none")
        #expect(seen.print?["pre"] == "pre-wrap", "code wraps on paper")
        #expect(seen.print?["newPage"] == "page", "each doc starts on a new page")
        #expect(seen.print?["linkAfter"]?.contains("attr(href)") == true || seen.print?["linkAfter"]?.contains(".html") == true,
                "link targets are printed after links: \(seen.print?["linkAfter"] ?? "")")
        for (path, width) in [(seen.w375_screenshot, 375), (seen.w1280_screenshot, 1280)] {
            let png = try #require(path.flatMap { SiteWriter.read($0) })
            #expect(png.count > 1000)
            #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            // IHDR width, big-endian, at byte 16
            let w = png.count > 20 ? png[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0
            #expect(w == width)
        }
    }
}
