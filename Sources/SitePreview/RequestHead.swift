/// A request head (request line and headers), parsed and checked: only a GET or HEAD for a loopback
/// Host and a path inside the site gets this far.
struct RequestHead: Equatable {
    enum Method: String {
        case get = "GET"
        case head = "HEAD"
    }

    let method: Method
    let path: SitePath

    /// Parses a head as read off the wire, with or without its closing blank line.
    ///
    /// Checks, in order: the request line (400), the headers (400), Host (403), the method (405), the path (400).
    static func parse(_ bytes: some Collection<UInt8>) throws(RequestRefusal) -> RequestHead {
        var lines = Self.lines(Array(bytes))
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first else { throw .malformed("the request is empty") }
        // Visible ASCII and single spaces only: no control characters, no bytes a later header line could hide in.
        guard requestLine.allSatisfy({ $0 > 0x20 && $0 < 0x7F || $0 == 0x20 }) else {
            throw .malformed("the request line holds a control character or a byte outside ASCII")
        }
        let parts = String(decoding: requestLine, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .malformed("the request line is not \"METHOD /path HTTP/1.1\"")
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else { throw .malformed("only HTTP/1.0 and HTTP/1.1 are spoken here") }

        var hosts: [String] = []
        for line in lines.dropFirst() {
            let (name, value) = try Self.header(line)
            if name.lowercased() == "host" { hosts.append(value) }
        }
        guard hosts.count <= 1 else { throw .malformed("more than one Host header") }
        var target = parts[1]
        // The absolute form (`GET http://127.0.0.1:8000/ HTTP/1.1`) names the host itself, and that one counts.
        if target.lowercased().hasPrefix("http://") {
            let rest = target.dropFirst("http://".count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard Self.isLoopback(String(authority)) else { throw .foreignHost(String(authority)) }
            let path = rest.dropFirst(authority.count)
            target = path.hasPrefix("/") ? path : "/" + path
        }
        guard let host = hosts.first else { throw .foreignHost(nil) }
        guard Self.isLoopback(host) else { throw .foreignHost(host) }
        guard let method = Method(rawValue: String(parts[0])) else { throw .methodNotAllowed(String(parts[0])) }
        return RequestHead(method: method, path: try SitePath(target: target))
    }

    /// Whether a Host value is `127.0.0.1`, `localhost` or `[::1]`, with or without a port.
    ///
    /// Any port is fine (an SSH tunnel may forward another one); any other name is not, even one that
    /// resolves to 127.0.0.1 (`127.0.0.1.evil.example`): that is what DNS rebinding looks like.
    static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        for name in ["127.0.0.1", "localhost", "[::1]"] where lower.hasPrefix(name) {
            let rest = lower.utf8.dropFirst(name.utf8.count)
            if rest.isEmpty { return true }
            guard rest.first == UInt8(ascii: ":") else { continue }
            let digits = rest.dropFirst()
            return (1...5).contains(digits.count) && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                && (Int(String(decoding: digits, as: UTF8.self)) ?? .max) <= 65_535
        }
        return false
    }

    /// A method name as the first word of a head, when there is one (so a refused HEAD still gets no body).
    static func isHeadRequest(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: "HEAD ".utf8)
    }

    // MARK: - Parsing

    /// The head split at CRLF; a bare CR or LF stays inside its line, where the checks refuse it.
    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            if bytes[i] == 13, bytes[i + 1] == 10 {
                lines.append(bytes[start..<i])
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        lines.append(bytes[start...])
        return lines
    }

    /// `Name: value`, the value without surrounding spaces or tabs.
    private static func header(_ line: ArraySlice<UInt8>) throws(RequestRefusal) -> (String, String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
            throw .malformed("a header line has no name")
        }
        guard line[..<colon].allSatisfy(Self.isTokenByte) else {
            throw .malformed("a header name holds a space or a character a name cannot have")
        }
        let value = line[(colon + 1)...]
        guard !value.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 }) else {
            throw .malformed("a header value holds a NUL, CR or LF")
        }
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let trimmed = value.drop(while: isBlank).reversed().drop(while: isBlank).reversed()
        return (String(decoding: line[..<colon], as: UTF8.self), String(decoding: trimmed, as: UTF8.self))
    }

    /// RFC 9110 `tchar`: what a header name is made of.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
