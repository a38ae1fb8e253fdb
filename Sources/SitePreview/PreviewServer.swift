import Foundation
import Glibc

/// A small HTTP/1.1 server on 127.0.0.1 that serves a rendered site from memory.
///
/// Only for local preview: GET and HEAD for a loopback Host, one request per connection
/// (`Connection: close`); ``PreviewResponder`` decides every answer.
public final class PreviewServer: @unchecked Sendable {
    /// The largest request head (request line and headers) read; a larger one gets 431.
    static let maxHeadBytes = 16_384

    private let lock = NSLock()
    private var site = PublishedSite()
    private var stopped = false
    private var listener: Int32 = -1
    /// The port the server listens on (the one asked for, or the one the system chose for 0).
    public private(set) var port: UInt16 = 0

    public init() {}

    deinit { if listener >= 0 { close(listener) } }

    /// Binds 127.0.0.1:`port` (0: any free port) and starts listening.
    public func bind(port requested: UInt16) throws(PreviewError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PreviewError.socket("socket", errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = requested.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            if code == EADDRINUSE { throw PreviewError.portInUse(requested) }
            throw PreviewError.socket("bind", code)
        }
        guard listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw PreviewError.socket("listen", code)
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listener = fd
        port = UInt16(bigEndian: actual.sin_port)
    }

    /// Replaces the site being served; open pages reload.
    public func publish(_ newFiles: [String: [UInt8]]) {
        lock.lock()
        site.files = newFiles
        site.generation += 1
        lock.unlock()
    }

    /// The number of times a site was published.
    public var currentGeneration: Int {
        lock.lock()
        defer { lock.unlock() }
        return site.generation
    }

    /// Asks ``run()`` to return (safe from any thread or a signal source's handler).
    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Accepts connections until ``stop()``; each is answered on a background queue.
    public func run() {
        while !isStopped {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 200)
            if ready <= 0 { continue }
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            DispatchQueue.global().async { [self] in
                self.answer(client)
                close(client)
            }
        }
        close(listener)
        listener = -1
    }

    // MARK: - HTTP

    private func answer(_ fd: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received: ReceivedHead?
        // One byte past the limit tells "exactly at the limit" from "over it".
        while received == nil {
            let room = min(buffer.count, Self.maxHeadBytes + 1 - request.count)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, room, 0) }
            if n <= 0 { return }
            let searchFrom = max(0, request.count - 3)
            request += buffer[0..<n]
            if let end = Self.headEnd(in: request, from: searchFrom), end <= Self.maxHeadBytes {
                received = .complete(request[..<end])
            } else if request.count > Self.maxHeadBytes {
                received = .tooLarge(limit: Self.maxHeadBytes, prefix: request[...])
            }
        }
        lock.lock()
        let published = site
        lock.unlock()
        let response = received.map { PreviewResponder(site: published).answer($0) } ?? []
        var offset = 0
        while offset < response.count {
            let sent = response.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return }
            offset += sent
        }
        // Read what the client still sends (the rest of an oversized head) until it closes, so the close
        // does not become a reset that loses the answer.
        shutdown(fd, Int32(SHUT_WR))
        var drained = 0
        while drained < 1 << 20 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            drained += n
        }
    }

    /// The index just past `\r\n\r\n` in `bytes`, searching from `start`.
    static func headEnd(in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 4 <= bytes.count {
            if bytes[i] == 13, bytes[i + 1] == 10, bytes[i + 2] == 13, bytes[i + 3] == 10 { return i + 4 }
            i += 1
        }
        return nil
    }
}
