import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// Every generated page parses as HTML5 without a single error (html5lib, strict), every internal
/// link and anchor resolves, and no page can run script the site did not ship.
@Suite("Site validity")
struct SiteValidityTests {
    @Test("the golden doc set: HTML5 without errors, every internal link and anchor resolves")
    func goldenSet() throws {
        let out = try SiteTestSupport.temporaryFolder("valid")
        try SiteTestSupport.build(SiteTestSupport.docsetConfig, into: out)
        let report = try SiteTestSupport.checkSite(out)
        #expect(report.pages == 5)
        #expect(report.problems == [])
    }

    @Test("the repo's own docs, when the project has them: HTML5 without errors, links resolve")
    func repoDocs() throws {
        let config = SiteTestSupport.packageRoot.appendingPathComponent("runbook.toml").path
        let docSet = try DocSet.load(configPath: config)
        let out = try SiteTestSupport.temporaryFolder("repo")
        _ = try SiteBuilder(docSet: docSet).build(into: out)
        let report = try SiteTestSupport.checkSite(out)
        #expect(report.pages == docSet.documents.count + 2)
        #expect(report.problems == [])
    }
}
