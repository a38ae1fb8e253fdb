import Foundation
import Testing
@testable import DocGen
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
    /// A plain HTTP/1.1 GET over a socket; returns the status code and body.
    static func get(_ port: UInt16, _ path: String) throws -> (status: Int, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0, "cannot connect to 127.0.0.1:\(port)")
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body)
    }

    /// Waits (bounded) until `condition` holds; a correctness check, not a timing assertion.
    static func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }

    @Test("serves the site from memory with a reload script, 404s, and rebuilds when a doc changes")
    func servesAndRebuilds() throws {
        let config = try DeterminismTests.reversedCopy()
        let messages = MessageLog()
        let session = PreviewSession(configPath: config) { messages.append($0) }
        try session.start(port: 0)
        let port = session.server.port
        let runner = Thread { session.run(pollInterval: 0.1) }
        runner.start()
        defer { session.stop() }

        let index = try Self.get(port, "/")
        #expect(index.status == 200)
        #expect(index.body.contains("장애 대응 가이드"))
        #expect(index.body.contains("<script src=\"/__runbook/reload.js\" data-generation=\"1\"></script>\n</body>"))
        let nested = try Self.get(port, "/team/contacts.html")
        #expect(nested.status == 200)
        #expect(nested.body.contains("에스컬레이션"))
        let missing = try Self.get(port, "/nope.html")
        #expect(missing.status == 404)
        #expect(missing.body.contains("페이지를 찾을 수 없습니다"))
        #expect(try Self.get(port, "/../runbook.toml").status == 404)
        #expect(try Self.get(port, "/__runbook/generation").body == "1")
        #expect(try Self.get(port, "/style.css").body == EmbeddedTheme.style)

        let doc = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("docs/runbook.md")
        var text = String(decoding: try #require(SiteWriter.read(doc.path)), as: UTF8.self)
        text += "\n## 새로 추가한 절차 {#new-step}\n"
        try Data(text.utf8).write(to: doc)
        #expect(try Self.eventually { try Self.get(port, "/__runbook/generation").body == "2" })
        let page = try Self.get(port, "/runbook.html")
        #expect(page.body.contains("<h2 id=\"new-step\">새로 추가한 절차"))
        #expect(page.body.contains("data-generation=\"2\""))

        // A broken doc keeps the previous site served.
        try Data("# 깨짐\n\n[x](missing.md)\n".utf8).write(to: doc)
        #expect(Self.eventually { messages.all.contains { $0.contains("rebuild failed") && $0.contains("docs/runbook.md:3") } })
        #expect(try Self.get(port, "/__runbook/generation").body == "2")
        #expect(try Self.get(port, "/runbook.html").body.contains("새로 추가한 절차"))
    }

    @Test("runbook serve prints its URL, answers, and exits 0 on Ctrl-C (SIGINT)")
    func ctrlC() throws {
        let config = try DeterminismTests.reversedCopy()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SiteTestSupport.runbookBinary)
        process.arguments = ["serve", "--port", "0", "--config", config]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var banner = ""
        while !banner.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        let port = try #require(banner.components(separatedBy: "http://127.0.0.1:").dropFirst().first.flatMap { UInt16($0.prefix { $0.isNumber }) })
        #expect(try Self.get(port, "/index.html").status == 200)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let rest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(rest.contains("stopped"))
    }
}
