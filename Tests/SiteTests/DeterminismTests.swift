import Foundation
import Testing
@testable import DocGen

/// Same inputs, same bytes; unchanged files untouched; `--check` names what is stale; a failed
/// build leaves the previous site as it was.
@Suite("Site determinism and incremental builds")
struct DeterminismTests {
    /// The fixture doc set copied into a new project, files created in reverse order.
    static func reversedCopy() throws -> String {
        let source = URL(fileURLWithPath: SiteTestSupport.docsetConfig).deletingLastPathComponent()
        let root = try SiteTestSupport.temporaryFolder("reversed")
        let files = SiteWriter(outDir: source).existingFiles().sorted().reversed()
        for rel in files {
            let to = root.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(try #require(SiteWriter.read(source.appendingPathComponent(rel).path))).write(to: to)
        }
        return root.appendingPathComponent("runbook.toml").path
    }

    @Test("building twice, and from a copy made in reverse order, gives identical bytes")
    func identicalBytes() throws {
        let a = try SiteTestSupport.temporaryFolder("det-a")
        let b = try SiteTestSupport.temporaryFolder("det-b")
        let c = try SiteTestSupport.temporaryFolder("det-c")
        try SiteTestSupport.build(SiteTestSupport.docsetConfig, into: a)
        try SiteTestSupport.build(SiteTestSupport.docsetConfig, into: b)
        try SiteTestSupport.build(try Self.reversedCopy(), into: c)
        let first = SiteTestSupport.snapshot(a)
        #expect(first.count == 10)
        #expect(first == SiteTestSupport.snapshot(b))
        #expect(first == SiteTestSupport.snapshot(c))
    }

    @Test("a build with nothing changed rewrites nothing; a changed doc rewrites only what depends on it")
    func unchangedFilesUntouched() throws {
        let config = try Self.reversedCopy()
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
        let config = try Self.reversedCopy()
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

    @Test("runbook build --check exits 1 and lists stale, missing and extra files; 0 when fresh")
    func checkCommand() throws {
        let config = try Self.reversedCopy()
        let out = try SiteTestSupport.temporaryFolder("check")
        let bin = SiteTestSupport.runbookBinary
        let env = ["XDG_CACHE_HOME": try SiteTestSupport.temporaryFolder("cache").path]
        let built = try SiteTestSupport.run(bin, ["build", "--config", config, "--out", out.path], environment: env)
        #expect(built.status == 0, "\(built.stderr)")
        let fresh = try SiteTestSupport.run(bin, ["build", "--check", "--config", config, "--out", out.path], environment: env)
        #expect(fresh.status == 0)
        #expect(fresh.stdout.contains("is up to date"))

        try Data("tampered".utf8).write(to: out.appendingPathComponent("runbook.html"))
        try FileManager.default.removeItem(at: out.appendingPathComponent("team/contacts.html"))
        try Data("x".utf8).write(to: out.appendingPathComponent("stray.html"))
        let stale = try SiteTestSupport.run(bin, ["build", "--check", "--config", config, "--out", out.path], environment: env)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("stale   \(out.path)/runbook.html"))
        #expect(stale.stdout.contains("missing \(out.path)/team/contacts.html"))
        #expect(stale.stdout.contains("extra   \(out.path)/stray.html"))
        #expect(stale.stderr.contains("1 changed, 1 missing, 1 extra"))

        // A plain build repairs all three, even though the docs did not change.
        let repaired = try SiteTestSupport.run(bin, ["build", "--config", config, "--out", out.path], environment: env)
        #expect(repaired.status == 0)
        #expect(repaired.stdout.contains("2 written"))
        #expect(repaired.stdout.contains("1 removed"))
        let again = try SiteTestSupport.run(bin, ["build", "--config", config, "--out", out.path], environment: env)
        #expect(again.stdout.contains("nothing changed since the last build"))
        let check = try SiteTestSupport.run(bin, ["build", "--check", "--config", config, "--out", out.path], environment: env)
        #expect(check.status == 0)
    }

    @Test("runbook build with a broken link exits 1 with file:line and writes nothing")
    func brokenLinkCLI() throws {
        let config = try SiteTestSupport.project(texts: ["a.md": "# A\n\n[b](b.md#x)\n"])
        let out = try SiteTestSupport.temporaryFolder("broken-cli")
        let result = try SiteTestSupport.run(SiteTestSupport.runbookBinary, ["build", "--config", config, "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("docs/a.md:3: error: broken link 'b.md#x'"))
        #expect(SiteWriter(outDir: out).existingFiles().isEmpty)
    }
}
