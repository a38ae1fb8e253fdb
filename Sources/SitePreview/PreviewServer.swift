import Foundation
import Glibc

/// A small HTTP/1.1 server on 127.0.0.1 that serves a rendered site from memory.
///
/// Only for local preview: GET and HEAD, one request per connection (`Connection: close`).
/// HTML responses get a tiny script that polls `/__runbook/generation` and reloads the page
/// when the site is rebuilt; the files themselves are served exactly as `runbook build` writes them.
public final class PreviewServer: @unchecked Sendable {
    /// The path prefix of the server's own endpoints (never a site file: the build writes none there).
    static let internalPrefix = "/__runbook/"

    private let lock = NSLock()
    private var files: [String: [UInt8]] = [:]
    private var generation = 0
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
        files = newFiles
        generation += 1
        lock.unlock()
    }

    /// The number of times a site was published.
    public var currentGeneration: Int {
        lock.lock()
        defer { lock.unlock() }
        return generation
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
        while request.count < 65_536 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            request += buffer[0..<n]
            if request[...].containsHeaderEnd { break }
        }
        let response = respond(to: request)
        var offset = 0
        while offset < response.count {
            let sent = response.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { break }
            offset += sent
        }
    }

    /// The full response (status line, headers, body) for a raw request.
    func respond(to request: [UInt8]) -> [UInt8] {
        let head = String(decoding: request.prefix(8192), as: UTF8.self)
        let requestLine = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            return Self.response(400, "Bad Request", type: "text/plain; charset=utf-8", body: Array("bad request\n".utf8), head: false)
        }
        let method = String(parts[0])
        guard method == "GET" || method == "HEAD" else {
            return Self.response(405, "Method Not Allowed", type: "text/plain; charset=utf-8", body: Array("only GET and HEAD\n".utf8),
                                 head: false, extra: "Allow: GET, HEAD\r\n")
        }
        let isHead = method == "HEAD"
        let target = String(parts[1])
        let rawPath = String(target.prefix { $0 != "?" && $0 != "#" })
        let path = rawPath.removingPercentEncoding ?? rawPath

        lock.lock()
        let site = files
        let gen = generation
        lock.unlock()

        if path == Self.internalPrefix + "generation" {
            return Self.response(200, "OK", type: "text/plain; charset=utf-8", body: Array(String(gen).utf8), head: isHead)
        }
        if path == Self.internalPrefix + "reload.js" {
            return Self.response(200, "OK", type: "text/javascript; charset=utf-8", body: Array(Self.reloadScript.utf8), head: isHead)
        }
        guard let name = Self.fileName(for: path) else {
            return notFound(site, gen: gen, head: isHead)
        }
        if let body = site[name] {
            return Self.response(200, "OK", type: Self.contentType(name), body: name.hasSuffix(".html") ? Self.inject(body, gen: gen) : body, head: isHead)
        }
        if site[name + "/index.html"] != nil {
            return Self.response(301, "Moved Permanently", type: "text/plain; charset=utf-8", body: [], head: isHead,
                                 extra: "Location: \(rawPath)/\r\n")
        }
        return notFound(site, gen: gen, head: isHead)
    }

    private func notFound(_ site: [String: [UInt8]], gen: Int, head: Bool) -> [UInt8] {
        let body = site["404.html"].map { Self.inject($0, gen: gen) } ?? Array("not found\n".utf8)
        return Self.response(404, "Not Found", type: "text/html; charset=utf-8", body: body, head: head)
    }

    /// `/` -> `index.html`, `/team/` -> `team/index.html`, `/a.html` -> `a.html`; nil for `..` or odd paths.
    static func fileName(for path: String) -> String? {
        guard path.hasPrefix("/") else { return nil }
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix(".") || $0.contains("\0") }) { return nil }
        if path.hasSuffix("/") { parts.append("index.html") }
        return parts.joined(separator: "/")
    }

    static func contentType(_ name: String) -> String {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "xml": return "application/xml; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "txt": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    /// Polls the generation and reloads when it changes; only ever sent by the preview server.
    static let reloadScript = """
    (function () {
      var me = document.currentScript, seen = me ? me.getAttribute("data-generation") : null;
      function poll() {
        fetch("/__runbook/generation", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (g) {
          if (seen !== null && g !== seen) { window.location.reload(); return; }
          seen = g; setTimeout(poll, 700);
        }, function () { setTimeout(poll, 2000); });
      }
      setTimeout(poll, 700);
    })();

    """

    /// Adds the reload script before `</body>` (or at the end).
    static func inject(_ html: [UInt8], gen: Int) -> [UInt8] {
        let tag = Array("<script src=\"/__runbook/reload.js\" data-generation=\"\(gen)\"></script>\n".utf8)
        let close = Array("</body>".utf8)
        var i = html.count - close.count
        while i >= 0 {
            if html[i] == close[0], Array(html[i..<(i + close.count)]) == close {
                return Array(html[..<i]) + tag + Array(html[i...])
            }
            i -= 1
        }
        return html + tag
    }

    static func response(_ code: Int, _ reason: String, type: String, body: [UInt8], head: Bool, extra: String = "") -> [UInt8] {
        let header = "HTTP/1.1 \(code) \(reason)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\(extra)\r\n"
        return Array(header.utf8) + (head ? [] : body)
    }
}

extension ArraySlice where Element == UInt8 {
    /// Whether the bytes contain `\r\n\r\n`, the end of an HTTP header block.
    var containsHeaderEnd: Bool {
        let end: [UInt8] = [13, 10, 13, 10]
        guard count >= 4 else { return false }
        var i = startIndex
        while i + 4 <= endIndex {
            if self[i] == end[0], self[i + 1] == end[1], self[i + 2] == end[2], self[i + 3] == end[3] { return true }
            i += 1
        }
        return false
    }
}
