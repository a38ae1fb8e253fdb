import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// The site of a small Korean doc set, byte for byte. Re-record with RUNBOOK_RECORD_GOLDEN=1 and
/// review the diff: every change to what readers get shows up there.
@Suite("Site golden output")
struct GoldenSiteTests {
    static let golden = SiteTestSupport.testsFolder.appendingPathComponent("Golden/docset")
    /// The files the golden set pins: pages, search index, sitemap (the stylesheet and script are
    /// checked by the browser test instead).
    static let pinned = ["index.html", "404.html", "sitemap.xml", "search-index.js", "incident-response.html", "runbook.html", "team/contacts.html"]

    @Test("the doc set renders exactly the recorded files")
    func matchesGolden() throws {
        let files = try SiteBuilder(docSet: try DocSet.load(configPath: SiteTestSupport.docsetConfig)).render()
        #expect(files.keys.sorted() == (Self.pinned + ["site.js", "style.css"]).sorted())
        let record = ProcessInfo.processInfo.environment["RUNBOOK_RECORD_GOLDEN"] == "1"
        for name in Self.pinned {
            let url = Self.golden.appendingPathComponent(name)
            let actual = try #require(files[name])
            if record {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual).write(to: url)
                continue
            }
            let expected = try #require(SiteWriter.read(url.path), "missing golden file \(url.path); run with RUNBOOK_RECORD_GOLDEN=1")
            if expected != actual {
                let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
                Issue.record("\(name) differs from the golden file at line \(line + 1):\n- \(line < e.count ? e[line] : "")\n+ \(line < a.count ? a[line] : "")")
            }
        }
    }
}
