import Testing
@testable import SitePreview

/// The request checks on their own, without sockets.
@Suite("Request head checks")
struct RequestHeadTests {
    @Test("loopback Host names, with and without a port", arguments: [
        ("127.0.0.1", true), ("127.0.0.1:8000", true), ("localhost", true), ("LOCALHOST:1", true), ("[::1]", true), ("[::1]:65535", true),
        ("127.0.0.1:", false), ("127.0.0.1:65536", false), ("127.0.0.1:123456", false), ("localhost:80a", false), ("localhost.", false),
        ("127.0.0.1.evil.example", false), ("localhost.evil.example:8000", false), ("::1", false), ("127.1", false), ("", false),
    ])
    func loopback(_ host: String, _ expected: Bool) {
        #expect(RequestHead.isLoopback(host) == expected)
    }

    @Test("site paths decode once and never climb out")
    func sitePaths() throws {
        #expect(try SitePath(target: "/").fileName == "index.html")
        #expect(try SitePath(target: "/team/").fileName == "team/index.html")
        #expect(try SitePath(target: "/team/contacts.html?x=1").fileName == "team/contacts.html")
        #expect(try SitePath(target: "/%ED%8C%80/a%20b.html").fileName == "팀/a b.html")
        #expect(try SitePath(target: "/%252e%252e/x").fileName == "%2e%2e/x")
        #expect(try SitePath(target: "/.git/config").fileName == nil)
        for escape in ["/..", "/%2e%2e/x", "/a/%2E%2e%2fb", "/.%2e", "/./a", "/a%00b"] {
            #expect(throws: RequestRefusal.pathOutsideSite, "\(escape)") { try SitePath(target: Substring(escape)) }
        }
        #expect(throws: RequestRefusal.malformed("a % in the path is not followed by two hex digits")) { try SitePath(target: "/%g0") }
        #expect(throws: RequestRefusal.malformed("the decoded path is not UTF-8")) { try SitePath(target: "/%ff") }
    }

    @Test("checks run in order: request line, headers, Host, method, path")
    func order() throws {
        func parse(_ text: String) throws(RequestRefusal) -> RequestHead { try RequestHead.parse(Array(text.utf8)) }
        #expect(throws: RequestRefusal.foreignHost("evil.example")) { try parse("POST /%2e%2e HTTP/1.1\r\nHost: evil.example\r\n\r\n") }
        #expect(throws: RequestRefusal.methodNotAllowed("POST")) { try parse("POST /%2e%2e HTTP/1.1\r\nHost: localhost\r\n\r\n") }
        #expect(throws: RequestRefusal.pathOutsideSite) { try parse("GET /%2e%2e HTTP/1.1\r\nHost: localhost\r\n\r\n") }
        #expect(throws: RequestRefusal.malformed("a header name holds a space or a character a name cannot have")) {
            try parse("GET / HTTP/1.1\r\nHost : localhost\r\n\r\n")
        }
        #expect(throws: RequestRefusal.malformed("a header value holds a NUL, CR or LF")) {
            try parse("GET / HTTP/1.1\r\nHost: localhost\nX: 1\r\n\r\n")
        }
        #expect(try parse("HEAD /a.html HTTP/1.0\r\nhost:\t127.0.0.1 \r\n\r\n") == RequestHead(method: .head, path: try SitePath(target: "/a.html")))
    }
}
