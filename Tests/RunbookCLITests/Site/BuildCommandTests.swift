import Foundation
import Testing
import TestSupport

@Suite("Site determinism and incremental builds: through the CLI")
struct DeterminismCLITests {
    @Test("runbook build --check exits 1 and lists stale, missing and extra files; 0 when fresh")
    func checkCommand() throws {
        let config = try SiteTestSupport.reversedCopy()
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
        #expect(SiteTestSupport.snapshot(out).isEmpty)
    }
}
