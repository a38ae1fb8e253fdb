import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore
@testable import SitePreview

/// Messages a preview session logs, collected across threads.
final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func append(_ m: String) { lock.lock(); messages.append(m); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
}

/// `runbook serve`: a real HTTP server on 127.0.0.1 that rebuilds on change and stops on Ctrl-C.
@Suite("Preview server")
struct PreviewServerTests {
    @Test("serves the site from memory with a reload script, 404s, and rebuilds when a doc changes")
    func servesAndRebuilds() throws {
        let config = try SiteTestSupport.reversedCopy()
        let messages = MessageLog()
        let session = PreviewSession(configPath: config) { messages.append($0) }
        try session.start(port: 0)
        let port = session.server.port
        let runner = Thread { try? session.run(pollInterval: 0.1) }
        runner.start()
        defer { session.stop() }

        let index = try SiteTestSupport.get(port, "/")
        #expect(index.status == 200)
        #expect(index.body.contains("장애 대응 가이드"))
        #expect(index.body.contains("<script src=\"/__runbook/reload.js\" data-generation=\"1\"></script>\n</body>"))
        let nested = try SiteTestSupport.get(port, "/team/contacts.html")
        #expect(nested.status == 200)
        #expect(nested.body.contains("에스컬레이션"))
        let missing = try SiteTestSupport.get(port, "/nope.html")
        #expect(missing.status == 404)
        #expect(missing.body.contains("페이지를 찾을 수 없습니다"))
        #expect(try SiteTestSupport.get(port, "/../runbook.toml").status == 400)
        #expect(try SiteTestSupport.get(port, "/__runbook/generation").body == "1")
        #expect(try SiteTestSupport.get(port, "/style.css").body == EmbeddedTheme.style)

        let doc = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("docs/runbook.md")
        var text = String(decoding: try #require(SiteWriter.read(doc.path)), as: UTF8.self)
        text += "\n## 새로 추가한 절차 {#new-step}\n"
        try Data(text.utf8).write(to: doc)
        #expect(try SiteTestSupport.eventually { try SiteTestSupport.get(port, "/__runbook/generation").body == "2" })
        let page = try SiteTestSupport.get(port, "/runbook.html")
        #expect(page.body.contains("<h2 id=\"new-step\">새로 추가한 절차"))
        #expect(page.body.contains("data-generation=\"2\""))
    }
}
