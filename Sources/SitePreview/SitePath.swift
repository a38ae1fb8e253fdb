/// A request path, percent-decoded once and checked: it names a place inside the site or is refused.
///
/// The server answers from the site in memory and never opens a file for a request; still, a path
/// that tries to climb out (`..`, `%2e%2e`, `..%2f`) or smuggles a NUL is refused, not looked up.
struct SitePath: Equatable {
    /// The decoded path, starting with `/` (no query).
    let decoded: String
    /// Its segments, none empty, `.` or `..`.
    let segments: [String]

    /// Decodes the path part of an origin-form request target (`/team/a%20b.html?x=1`).
    init(target: Substring) throws(RequestRefusal) {
        let raw = target.prefix { $0 != "?" && $0 != "#" }
        guard raw.hasPrefix("/") else { throw .malformed("the request target must be a path starting with /") }
        var bytes: [UInt8] = []
        var input = raw.utf8.makeIterator()
        while let byte = input.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = input.next().flatMap(Self.hexValue), let low = input.next().flatMap(Self.hexValue) else {
                throw .malformed("a % in the path is not followed by two hex digits")
            }
            bytes.append(high << 4 | low)
        }
        guard !bytes.contains(0) else { throw .pathOutsideSite }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .malformed("the decoded path is not UTF-8") }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !segments.contains(where: { $0 == "." || $0 == ".." }) else { throw .pathOutsideSite }
        self.decoded = decoded
        self.segments = segments
    }

    /// The site file this names: `index.html` for `/`, `team/index.html` for `/team/`, `a.html` for `/a.html`;
    /// nil for a hidden name (a segment that starts with a dot), which the site never has.
    var fileName: String? {
        guard !segments.contains(where: { $0.hasPrefix(".") }) else { return nil }
        let parts = decoded.hasSuffix("/") ? segments + ["index.html"] : segments
        return parts.joined(separator: "/")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
