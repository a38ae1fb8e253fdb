import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// Same inputs, same bytes; unchanged files untouched; `--check` names what is stale; a failed
/// build leaves the previous site as it was.
@Suite("Site determinism and incremental builds")
struct DeterminismTests {
    /// The fixture doc set copied into a new project, files created in reverse order.
    @Test("building twice, and from a copy made in reverse order, gives identical bytes")
    func identicalBytes() throws {
        let a = try SiteTestSupport.temporaryFolder("det-a")
        let b = try SiteTestSupport.temporaryFolder("det-b")
        let c = try SiteTestSupport.temporaryFolder("det-c")
        try SiteTestSupport.build(SiteTestSupport.docsetConfig, into: a)
        try SiteTestSupport.build(SiteTestSupport.docsetConfig, into: b)
        try SiteTestSupport.build(try SiteTestSupport.reversedCopy(), into: c)
        let first = SiteTestSupport.snapshot(a)
        #expect(first.count == 10)
        #expect(first == SiteTestSupport.snapshot(b))
        #expect(first == SiteTestSupport.snapshot(c))
    }

    @Test("a build with nothing changed rewrites nothing; a changed doc rewrites only what depends on it")
    func unchangedFilesUntouched() throws {
        let config = try SiteTestSupport.reversedCopy()
        let out = try SiteTestSupport.temporaryFolder("incremental")
        let first = try SiteTestSupport.build(config, into: out)
        #expect(first.written.count == 9)
        let before = SiteTestSupport.mtimes(out)
        let second = try SiteTestSupport.build(config, into: out)
        #expect(second.written == [])
        #expect(second.unchanged == 10)
        #expect(SiteTestSupport.mtimes(out) == before)

        let doc = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("docs/runbook.md")
        var text = String(decoding: try #require(SiteWriter.read(doc.path)), as: UTF8.self)
        text += "\n추가된 문장입니다.\n"
        try Data(text.utf8).write(to: doc)
        let third = try SiteTestSupport.build(config, into: out)
        #expect(third.written == ["runbook.html", "search-index.js"])
        let after = SiteTestSupport.mtimes(out)
        #expect(after["incident-response.html"] == before["incident-response.html"])
    }

    @Test("a failed build leaves the previous site exactly as it was")
    func failedBuildKeepsSite() throws {
        let config = try SiteTestSupport.reversedCopy()
        let out = try SiteTestSupport.temporaryFolder("failed")
        try SiteTestSupport.build(config, into: out)
        let before = SiteTestSupport.snapshot(out)
        let stamps = SiteTestSupport.mtimes(out)
        let doc = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("docs/runbook.md")
        try Data("# 깨짐\n\n[없는 문서](missing.md#x)\n".utf8).write(to: doc)
        #expect(throws: DiagnosticsError.self) { try SiteTestSupport.build(config, into: out) }
        #expect(SiteTestSupport.snapshot(out) == before)
        #expect(SiteTestSupport.mtimes(out) == stamps)
    }
}
