import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on a free loopback port for tests (health, Prometheus, Slack): each
/// request is recorded and answered by `handler`; a nil answer leaves the client hanging.
public final class LocalHTTPServer: @unchecked Sendable {
    /// One request as received.
    public struct Request: Sendable {
        public var method: String
        /// Path and query, as sent (`/api/v1/query?query=up`).
        public var target: String
        public var headers: [String: String]
        public var body: Data

        /// The decoded value of query parameter `name`.
        public func query(_ name: String) -> String? {
            URLComponents(string: "http://x\(target)")?.queryItems?.first { $0.name == name }?.value
        }
    }

    /// One answer.
    public struct Response: Sendable {
        public var status: Int
        public var contentType: String
        public var body: Data

        public init(status: Int, contentType: String = "text/plain", body: String) {
            self.status = status
            self.contentType = contentType
            self.body = Data(body.utf8)
        }

        public static func json(_ status: Int, _ body: String) -> Response {
            Response(status: status, contentType: "application/json", body: body)
        }
    }

    // `@unchecked`: `recorded`, `fd` and `held` are only touched while `lock` is held.
    private let lock = NSLock()
    private var listenFD: Int32
    private var recorded: [Request] = []
    private var held: [Int32] = []
    private let handler: @Sendable (Request) -> Response?
    public let port: Int

    public init(handler: @escaping @Sendable (Request) -> Response?) throws {
        let (fd, port) = try LoopbackPort.listening()
        self.listenFD = fd
        self.port = port
        self.handler = handler
        let thread = Thread { [weak self] in self?.acceptLoop(fd) }
        thread.start()
    }

    deinit { stop() }

    public var url: URL { URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    /// Every request received so far.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Stops listening and drops held connections.
    public func stop() {
        lock.lock()
        let fd = listenFD
        listenFD = -1
        let open = held
        held = []
        lock.unlock()
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
        open.forEach { close($0) }
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let t = Thread { [weak self] in self?.serve(client) }
            t.start()
        }
    }

    private func serve(_ client: Int32) {
        guard let request = Self.readRequest(client) else {
            close(client)
            return
        }
        lock.lock()
        recorded.append(request)
        lock.unlock()
        guard let response = handler(request) else {
            lock.lock()
            held.append(client)  // hang: never answer, closed by stop()
            lock.unlock()
            return
        }
        var head = "HTTP/1.1 \(response.status) \(response.status < 400 ? "OK" : "Error")\r\n"
        head += "Content-Type: \(response.contentType)\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        var bytes = Data(head.utf8)
        bytes.append(response.body)
        bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count, let base = raw.baseAddress {
                let n = send(client, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { break }
                sent += n
            }
        }
        close(client)
    }

    /// Reads one request (head and declared body) from `fd`; nil if the client went away first.
    static func readRequest(_ fd: Int32) -> Request? {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let separator = Data("\r\n\r\n".utf8)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            data.append(contentsOf: chunk[..<n])
            headerEnd = data.range(of: separator)
        }
        guard let end = headerEnd else { return nil }
        let headText = String(decoding: data[..<end.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[end.upperBound...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            body.append(contentsOf: chunk[..<n])
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }
}
