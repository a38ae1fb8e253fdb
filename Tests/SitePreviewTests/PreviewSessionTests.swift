import Foundation
import Testing
import TestSupport
@testable import SitePreview

/// A rebuild that fails must leave the preview as it was, and say why.
@Suite("Preview session: rebuild failures")
struct PreviewSessionTests {
    @Test("a doc that breaks the rebuild keeps the last good pages served, unreloaded, and the log says why")
    func brokenDocKeepsLastGoodSite() async throws {
        let preview = try RunningPreview()
        let good = try preview.get("/runbook.html", host: "127.0.0.1")
        #expect(good.status == 200)
        #expect(good.body.contains("data-generation=\"1\""))

        let original = try String(contentsOf: preview.doc("runbook.md"), encoding: .utf8)
        try Data("# 깨짐\n\n[x](missing.md)\n".utf8).write(to: preview.doc("runbook.md"))
        #expect(await Self.eventually { preview.messages.all.contains { $0.contains("rebuild failed") } })
        let failure = try #require(preview.messages.all.first { $0.contains("rebuild failed") })
        #expect(failure.contains("still serving the last good site"))
        #expect(failure.contains("docs/runbook.md:3"), "the message names the doc and line: \(failure)")
        #expect(failure.contains("missing.md"))

        // The generation open pages poll did not move, so they do not reload into an error page.
        #expect(try preview.get("/__runbook/generation", host: "127.0.0.1").body == "1")
        let after = try preview.get("/runbook.html", host: "127.0.0.1")
        #expect(after.status == 200)
        #expect(after.body == good.body)

        // Fixed again: the next rebuild is published and open pages reload.
        try Data((original + "\n다시 정상입니다.\n").utf8).write(to: preview.doc("runbook.md"))
        #expect(await Self.eventually { (try? preview.get("/__runbook/generation", host: "127.0.0.1").body) == "2" })
        #expect(try preview.get("/runbook.html", host: "127.0.0.1").body.contains("다시 정상입니다"))
        #expect(preview.messages.all.last?.contains("rebuilt") == true, "\(preview.messages.all)")
    }

    static func eventually(seconds: Double = 20, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }
}
