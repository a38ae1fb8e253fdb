import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal Redis client over RESP on plain TCP (POSIX sockets): connect with a timeout, optional
/// AUTH, and `INFO [section]`. No TLS.
public final class RedisClient {
    public let host: String
    public let port: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private let timeout: Double

    /// Connects to `host:port` within `timeout` seconds (each later read and write has the same bound).
    public init(host: String, port: Int, timeout: Double = 5) throws(RedisError) {
        self.host = host
        self.port = port
        self.timeout = timeout
        fd = try Self.connect(host: host, port: port, timeout: timeout)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// `AUTH [username] password`; a wrong password is `RedisError.authenticationFailed`.
    public func authenticate(username: String? = nil, password: String) throws(RedisError) {
        let args = username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
        switch try command(args) {
        case .error(let message):
            // Redis' reply ("WRONGPASS invalid username-password pair ...") never echoes the password.
            throw RedisError.authenticationFailed(endpoint: endpoint, reply: message)
        default:
            return
        }
    }

    /// `INFO [section]`: the reply text, `# Section` headers and `key:value` lines.
    public func info(section: String? = nil) throws(RedisError) -> String {
        let reply = try command(section.map { ["INFO", $0] } ?? ["INFO"])
        switch reply {
        case .bulk(let text?): return text
        case .simple(let text): return text
        case .error(let message):
            if message.hasPrefix("NOAUTH") { throw RedisError.authenticationRequired(endpoint: endpoint) }
            throw RedisError.commandFailed(endpoint: endpoint, command: "INFO", reply: message)
        default:
            throw RedisError.protocolError(endpoint: endpoint, detail: "INFO did not return a bulk string")
        }
    }

    /// Sends one command and reads its reply.
    public func command(_ args: [String]) throws(RedisError) -> RESPValue {
        var out = "*\(args.count)\r\n"
        for a in args { out += "$\(a.utf8.count)\r\n\(a)\r\n" }
        try writeAll(Array(out.utf8))
        return try readValue()
    }

    var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    // MARK: - RESP

    private func readValue() throws(RedisError) -> RESPValue {
        let line = try readLine()
        guard let kind = line.first else { throw RedisError.protocolError(endpoint: endpoint, detail: "empty reply line") }
        let rest = String(decoding: line.dropFirst(), as: UTF8.self)
        switch kind {
        case UInt8(ascii: "+"): return .simple(rest)
        case UInt8(ascii: "-"): return .error(rest)
        case UInt8(ascii: ":"):
            guard let n = Int(rest) else { throw RedisError.protocolError(endpoint: endpoint, detail: "bad integer \(rest)") }
            return .integer(n)
        case UInt8(ascii: "$"):
            guard let n = Int(rest) else { throw RedisError.protocolError(endpoint: endpoint, detail: "bad bulk length \(rest)") }
            if n < 0 { return .bulk(nil) }
            let bytes = try readExactly(n + 2)
            return .bulk(String(decoding: bytes.prefix(n), as: UTF8.self))
        case UInt8(ascii: "*"):
            guard let n = Int(rest) else { throw RedisError.protocolError(endpoint: endpoint, detail: "bad array length \(rest)") }
            if n < 0 { return .array(nil) }
            var items: [RESPValue] = []
            for _ in 0..<n { items.append(try readValue()) }
            return .array(items)
        default:
            throw RedisError.protocolError(endpoint: endpoint, detail: "unexpected reply type '\(Character(Unicode.Scalar(kind)))'; is this a Redis server?")
        }
    }

    private func readLine() throws(RedisError) -> [UInt8] {
        while true {
            if let i = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<i])
                buffer.removeFirst(i + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            try fill()
        }
    }

    private func readExactly(_ n: Int) throws(RedisError) -> [UInt8] {
        while buffer.count < n { try fill() }
        let out = Array(buffer[..<n])
        buffer.removeFirst(n)
        return out
    }

    // MARK: - Sockets (every call retries EINTR)

    private func fill() throws(RedisError) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[..<n])
                return
            }
            if n == 0 { throw RedisError.connectionClosed(endpoint: endpoint) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { throw RedisError.timedOut(endpoint: endpoint, seconds: timeout) }
            throw RedisError.io(endpoint: endpoint, call: "recv", errno: code)
        }
    }

    private func writeAll(_ bytes: [UInt8]) throws(RedisError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(fd, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                sent += n
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { throw RedisError.timedOut(endpoint: endpoint, seconds: timeout) }
            throw RedisError.io(endpoint: endpoint, call: "send", errno: code)
        }
    }

    private static func connect(host: String, port: Int, timeout: Double) throws(RedisError) -> Int32 {
        let endpoint = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw RedisError.hostNotFound(endpoint: endpoint, detail: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = ECONNREFUSED
        var timedOut = false
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let ai = node {
            node = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 { lastErrno = errno; continue }
            // Non-blocking connect, bounded by poll; then back to blocking with SO_RCVTIMEO/SO_SNDTIMEO.
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var r = Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen)
            if r != 0 && errno == EINPROGRESS {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                var ready: Int32
                repeat { ready = poll(&p, 1, Int32(max(1, timeout * 1000))) } while ready < 0 && errno == EINTR
                if ready == 0 {
                    timedOut = true
                    close(fd)
                    continue
                }
                var soError: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                if soError != 0 { errno = soError } else { r = 0 }
            }
            guard r == 0 else {
                lastErrno = errno
                close(fd)
                continue
            }
            _ = fcntl(fd, F_SETFL, flags)
            var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        if timedOut { throw RedisError.timedOut(endpoint: endpoint, seconds: timeout) }
        if lastErrno == ECONNREFUSED { throw RedisError.connectionRefused(endpoint: endpoint) }
        throw RedisError.io(endpoint: endpoint, call: "connect", errno: lastErrno)
    }
}
