/// Why a request is answered with an error before the site is looked at; each case says why in its body.
enum RequestRefusal: Error, Equatable {
    /// Not an HTTP/1.x request head the server can read; what is wrong with it.
    case malformed(String)
    /// The Host header is missing (nil) or not a loopback name: perhaps a page on another site
    /// reaching the preview through DNS rebinding.
    case foreignHost(String?)
    /// Anything but GET and HEAD.
    case methodNotAllowed(String)
    /// The request head did not end within this many bytes.
    case headTooLarge(limit: Int)
    /// The path would leave the site (a `.` or `..` segment, also when percent-encoded) or holds a NUL.
    case pathOutsideSite

    /// The response that says so.
    var response: HTTPResponse {
        switch self {
        case .malformed(let why):
            return .text(400, "Bad Request", "bad request: \(why)")
        case .foreignHost(let host):
            let named = host.map { "\"\(Self.printable($0))\"" } ?? "missing"
            return .text(403, "Forbidden", "runbook serve answers only requests addressed to 127.0.0.1, localhost or [::1]; "
                + "the Host header was \(named). A page on another site may be trying to read the preview (DNS rebinding): "
                + "open the address runbook serve printed instead.")
        case .methodNotAllowed(let method):
            return .text(405, "Method Not Allowed", "runbook serve only reads: GET and HEAD, not \(Self.printable(method))",
                         headers: ["Allow: GET, HEAD"])
        case .headTooLarge(let limit):
            return .text(431, "Request Header Fields Too Large", "the request line and headers are over \(limit) bytes; runbook serve reads no more")
        case .pathOutsideSite:
            return .text(400, "Bad Request", "bad request: the path leaves the site (a . or .. segment, or a NUL byte)")
        }
    }

    /// Client text echoed in a message: printable ASCII only, at most 100 characters.
    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" }.prefix(100)))
    }
}
