import Foundation
import Testing
@testable import DocGen
import RunbookCore

/// The rich fixture rendered to HTML, compared with a reviewed golden file.
/// Re-record with `RUNBOOK_RECORD_GOLDEN=1 swift test --filter RenderGoldenTests` and read the diff.
@Suite struct RenderGoldenTests {
    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/render/Everything.html")
    /// The one rich fixture, kept with the parser's tests.
    static let sourceURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RunbookCoreTests/Fixtures/Everything.md")

    @Test func everythingRendersAsTheGoldenFile() throws {
        let doc = DocumentParser.parse(try String(contentsOf: Self.sourceURL, encoding: .utf8), path: "docs/everything.md", name: "everything").document
        let html = HTMLRenderer.render(doc, in: nil)
        if ProcessInfo.processInfo.environment["RUNBOOK_RECORD_GOLDEN"] == "1" {
            try Data(html.utf8).write(to: Self.goldenURL)
        }
        let golden = try String(contentsOf: Self.goldenURL, encoding: .utf8)
        #expect(html == golden)
        // What a reader relies on, spelled out so a re-recording cannot quietly lose it.
        #expect(html.contains(#"<h2 id="api-down">API 서버 무응답"#))
        #expect(html.contains("<del>취소선</del>"))
        #expect(html.contains(#"<input type="checkbox" disabled checked"#))
        #expect(html.contains("runbook exec everything#api-down --only redeploy"))
        #expect(html.contains(#"id="같은-제목-1""#))
        #expect(!html.contains("{#api-down}"))
    }
}
