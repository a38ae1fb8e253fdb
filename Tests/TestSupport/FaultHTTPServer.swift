import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP server that answers every request with one fault, for tests of replies that
/// cannot be trusted: a huge or endless body generated as it is sent (never held in memory), a
/// hang, an empty 200, or a reply cut off before the length it declares.
public final class FaultHTTPServer: @unchecked Sendable {
    /// How every request is answered.
    public enum Fault: Sendable {
        /// 200 with a body of `bytes` bytes: `prefix`, then filler. With `declared`, the length is
        /// sent as Content-Length; without, the body simply runs until the connection closes.
        case huge(bytes: UInt64, declared: Bool = true, prefix: String = "")
        /// 200, chunked: `prefix`, then filler for ever (until the client goes away).
        /// `declaring`, when set, is sent as a Content-Length too (which a chunked body overrides).
        case endlessChunked(prefix: String = "", declaring: UInt64? = nil)
        /// Reads the request and never answers.
        case hang
        /// 200 with an empty body (`Content-Length: 0`).
        case empty
        /// Declares `declared` bytes, sends `sent` of them (`prefix`, then filler), then closes.
        case truncated(declared: UInt64, sent: UInt64, prefix: String = "")
        /// 200 with `bytes` declared, sent at about `bytesPerSecond` (a download in progress).
        case slow(bytes: UInt64, bytesPerSecond: Int)
    }

    // `@unchecked`: `listenFD`, `held`, `stopped` and `count` are only touched while `lock` is held.
    private let lock = NSLock()
    private var listenFD: Int32
    private var held: [Int32] = []
    private var stopped = false
    private var count = 0
    private let fault: Fault
    public let port: Int

    public init(_ fault: Fault) throws {
        let (fd, port) = try LoopbackPort.listening()
        self.listenFD = fd
        self.port = port
        self.fault = fault
        let thread = Thread { [weak self] in self?.acceptLoop(fd) }
        thread.start()
    }

    deinit { stop() }

    public var url: URL { URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    /// Requests answered (or left hanging) so far.
    public var requestCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    /// Stops listening, closes held connections and ends every body being sent.
    public func stop() {
        lock.lock()
        let fd = listenFD
        listenFD = -1
        stopped = true
        let open = held
        held = []
        lock.unlock()
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
        open.forEach { close($0) }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            // A client that stops reading without closing cannot hold a thread for ever.
            var limit = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            let t = Thread { [weak self] in
                guard let self else {
                    close(client)
                    return
                }
                self.serve(client)
            }
            t.start()
        }
    }

    private func serve(_ client: Int32) {
        guard LocalHTTPServer.readRequest(client) != nil else {
            close(client)
            return
        }
        lock.lock()
        count += 1
        lock.unlock()
        switch fault {
        case .hang:
            lock.lock()
            held.append(client)  // closed by stop()
            lock.unlock()
            return
        case .empty:
            _ = send(client, head(length: 0))
        case .huge(let bytes, let declared, let prefix):
            var head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            head += declared ? "Content-Length: \(bytes)\r\n" : ""
            if send(client, Data((head + "Connection: close\r\n\r\n").utf8)) {
                _ = sendBody(client, prefix: prefix, bytes: bytes)
            }
        case .endlessChunked(let prefix, let declaring):
            var head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n"
            head += declaring.map { "Content-Length: \($0)\r\n" } ?? ""
            guard send(client, Data((head + "Connection: close\r\n\r\n").utf8)) else { break }
            var first = Data(prefix.utf8)
            let block = Self.filler
            while !isStopped {
                let chunk = first.isEmpty ? block : first
                first = Data()
                var framed = Data(String(chunk.count, radix: 16).utf8) + Data("\r\n".utf8)
                framed.append(chunk)
                framed.append(contentsOf: Array("\r\n".utf8))
                if !send(client, framed) { break }
            }
        case .truncated(let declared, let sent, let prefix):
            if send(client, head(length: declared)) {
                _ = sendBody(client, prefix: prefix, bytes: sent)
            }
        case .slow(let bytes, let rate):
            guard send(client, head(length: bytes)) else { break }
            let slice = max(1, rate / 10)
            var left = bytes
            while left > 0 && !isStopped {
                let n = Int(min(UInt64(slice), left))
                if !send(client, Self.filler.prefix(n)) { break }
                left -= UInt64(n)
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        close(client)
    }

    /// 64 KiB of filler text.
    private static let filler = Data(repeating: UInt8(ascii: "x"), count: 64 << 10)

    private func head(length: UInt64) -> Data {
        Data("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(length)\r\nConnection: close\r\n\r\n".utf8)
    }

    /// Sends `prefix` and then filler, `bytes` in all, generated block by block.
    private func sendBody(_ fd: Int32, prefix: String, bytes: UInt64) -> Bool {
        var left = bytes
        let start = Data(prefix.utf8).prefix(Int(min(UInt64(prefix.utf8.count), left)))
        guard send(fd, start) else { return false }
        left -= UInt64(start.count)
        while left > 0 && !isStopped {
            let n = Int(min(UInt64(Self.filler.count), left))
            guard send(fd, Self.filler.prefix(n)) else { return false }
            left -= UInt64(n)
        }
        return true
    }

    /// Sends all of `data`; false once the client has gone away.
    private func send(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count, let base = raw.baseAddress {
                let n = Glibc.send(fd, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
    }
}
