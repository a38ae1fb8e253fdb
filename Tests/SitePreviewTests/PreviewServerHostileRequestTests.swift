import Foundation
import Testing
import TestSupport
@testable import SitePreview

/// Requests a browser would never send for a local preview: foreign hosts, huge heads, writes, escapes.
@Suite("Preview server: hostile requests")
struct PreviewServerHostileRequestTests {
    @Test("a Host that is not a loopback name gets 403 and a body that says why", arguments: [
        "evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "evil.example:8000", "127.0.0.2", "localhost:80x", "",
    ])
    func foreignHost(_ host: String) throws {
        let preview = try RunningPreview()
        let answer = try preview.get("/", host: host)
        #expect(answer.status == 403)
        #expect(answer.body.contains("only requests addressed to 127.0.0.1, localhost or [::1]"))
        #expect(answer.body.contains("DNS rebinding"))
        #expect(!answer.body.contains("장애 대응 가이드"))
    }

    @Test("a request without Host gets 403, in HTTP/1.1 and 1.0")
    func missingHost() throws {
        let preview = try RunningPreview()
        for request in ["GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.1\r\nX-Host: 127.0.0.1\r\n\r\n"] {
            let answer = try preview.send(request)
            #expect(answer.status == 403, "\(request.debugDescription)")
            #expect(answer.body.contains("the Host header was missing"))
        }
    }

    @Test("an absolute request target names the host that counts")
    func absoluteTarget() throws {
        let preview = try RunningPreview()
        #expect(try preview.send("GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status == 403)
        #expect(try preview.send("GET http://127.0.0.1:\(preview.port)/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status == 200)
    }

    @Test("loopback names are served, with any port and in any case")
    func loopbackHosts() throws {
        let preview = try RunningPreview()
        for host in ["127.0.0.1", "127.0.0.1:\(preview.port)", "localhost", "LocalHost:\(preview.port)", "[::1]", "[::1]:9000"] {
            let answer = try preview.get("/", host: host)
            #expect(answer.status == 200, "Host: \(host)")
            #expect(answer.body.contains("장애 대응 가이드"), "Host: \(host)")
        }
        #expect(try preview.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n").status == 400)
    }

    @Test("a request head over 16 KiB gets 431; one just under is served")
    func oversizedHead() throws {
        let preview = try RunningPreview()
        let limit = preview.session.server.limits.maxHeadBytes
        #expect(limit == 16_384)
        for size in [limit + 1, 20_000, 64 * 1024, 1 << 20] {
            let answer = try preview.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + String(repeating: "a", count: size) + "\r\n\r\n")
            #expect(answer.status == 431, "a head of \(size) bytes")
            #expect(answer.body.contains("over 16384 bytes"))
        }
        let start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "
        let fits = start + String(repeating: "a", count: limit - start.utf8.count - 4) + "\r\n\r\n"
        #expect(fits.utf8.count == limit)
        #expect(try preview.send(fits).status == 200)
    }

    @Test("only GET and HEAD; HEAD gets the headers and no body")
    func methods() throws {
        let preview = try RunningPreview()
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"] {
            let answer = try preview.send("\(method) / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
            #expect(answer.status == 405, "\(method)")
            #expect(answer.head.contains("Allow: GET, HEAD"))
        }
        let head = try preview.send("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(!head.head.contains("Content-Length: 0"))
    }

    @Test("paths that try to leave the site get 400 or 404, never a file outside it", arguments: [
        "/../runbook.toml", "/%2e%2e/runbook.toml", "/%2E%2E/%2e%2e/%2e%2e/etc/passwd", "/..%2frunbook.toml", "/..%2Frunbook.toml",
        "/team/../../runbook.toml", "/team/%2e%2e/%2e%2e/runbook.toml", "/.%2e/runbook.toml", "/%252e%252e/runbook.toml",
        "/index.html%00.png", "/%00", "/./index.html", "/.hidden", "/%2e/index.html", "/..\\runbook.toml", "/%zz", "/%2",
        "runbook.toml", "*",
    ])
    func traversal(_ path: String) throws {
        let preview = try RunningPreview()
        let answer = try preview.get(path, host: "127.0.0.1")
        #expect([400, 404].contains(answer.status), "\(path) -> \(answer.status)")
        #expect(!answer.body.contains("[site]"), "\(path) served the config")
        #expect(!answer.body.contains("root:"), "\(path) served /etc/passwd")
    }

    @Test("a request line that is not HTTP/1.x gets 400")
    func malformed() throws {
        let preview = try RunningPreview()
        for request in ["\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", "GET  / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                        "GET /\u{7}x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "GET / HTTP/1.1\r\n Host: 127.0.0.1\r\n\r\n"] {
            #expect(try preview.send(request).status == 400, "\(request.debugDescription)")
        }
    }
}
