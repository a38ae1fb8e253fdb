import Foundation
import Testing
import TestSupport
@testable import SitePreview

/// A preview session on a free port, serving a copy of the golden doc set from its own thread.
final class RunningPreview: Sendable {
    let session: PreviewSession
    let messages = MessageLog()
    let config: String
    var port: UInt16 { session.server.port }

    init(limits: PreviewLimits = .standard, pollInterval: Double = 0.1) throws {
        config = try SiteTestSupport.reversedCopy()
        let messages = self.messages
        session = PreviewSession(configPath: config, limits: limits) { messages.append($0) }
        try session.start(port: 0)
        let session = self.session
        Thread {
            do { try session.run(pollInterval: pollInterval) } catch { messages.append("run failed: \(error)") }
        }.start()
    }

    deinit { session.stop() }

    /// Sends `request` as is (a request head: CRLFs and the blank line included) and reads the answer.
    func send(_ request: String) throws -> SiteTestSupport.RawResponse {
        try SiteTestSupport.exchange(port, Array(request.utf8))
    }

    /// A GET of `path` with this Host header (none for nil).
    func get(_ path: String, host: String?) throws -> SiteTestSupport.RawResponse {
        try send("GET \(path) HTTP/1.1\r\n" + (host.map { "Host: \($0)\r\n" } ?? "") + "\r\n")
    }

    /// A doc of the project, by its path under `docs/`.
    func doc(_ path: String) -> URL {
        URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("docs").appendingPathComponent(path)
    }
}

/// Sockets that connected and then went quiet, closed together.
struct IdleConnections: ~Copyable {
    let fds: [Int32]

    init(_ count: Int, port: UInt16) throws {
        var fds: [Int32] = []
        do {
            for _ in 0..<count { fds.append(try SiteTestSupport.connectLoopback(port)) }
        } catch {
            fds.forEach { close($0) }
            throw error
        }
        self.fds = fds
    }

    /// How many the server has already answered or closed (a read would not block right now).
    var endedByServer: Int {
        fds.filter { fd in
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
        }.count
    }

    deinit { fds.forEach { close($0) } }
}
