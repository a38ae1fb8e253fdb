/// Answers one request head from a published site: the preview's whole HTTP behaviour, without sockets.
///
/// HTML responses get a tiny script that polls `/__runbook/generation` and reloads the page when the
/// site is rebuilt; every file is otherwise served exactly as `runbook build` writes it.
struct PreviewResponder {
    /// The path prefix of the server's own endpoints (never a site file: the build writes none there).
    static let internalPrefix = "/__runbook/"

    let site: PublishedSite

    /// The bytes to send back for what a connection received.
    func answer(_ received: ReceivedHead) -> [UInt8] {
        switch received {
        case .tooLarge(let limit, let prefix):
            return RequestRefusal.headTooLarge(limit: limit).response.serialized(includeBody: !RequestHead.isHeadRequest(prefix))
        case .complete(let bytes):
            do {
                let request = try RequestHead.parse(bytes)
                return response(for: request).serialized(includeBody: request.method != .head)
            } catch {
                return error.response.serialized(includeBody: !RequestHead.isHeadRequest(bytes))
            }
        }
    }

    /// The response for a request that passed every check.
    func response(for request: RequestHead) -> HTTPResponse {
        let path = request.path
        if path.decoded == Self.internalPrefix + "generation" {
            return HTTPResponse(status: 200, reason: "OK", contentType: "text/plain; charset=utf-8", body: Array(String(site.generation).utf8))
        }
        if path.decoded == Self.internalPrefix + "reload.js" {
            return HTTPResponse(status: 200, reason: "OK", contentType: "text/javascript; charset=utf-8", body: Array(Self.reloadScript.utf8))
        }
        guard let name = path.fileName else { return notFound }
        if let body = site.files[name] {
            return HTTPResponse(status: 200, reason: "OK", contentType: Self.contentType(name),
                                body: name.hasSuffix(".html") ? Self.inject(body, generation: site.generation) : body)
        }
        if site.files[name + "/index.html"] != nil {
            // Built from the checked name, not the raw target: `//host` must not become a redirect elsewhere.
            return HTTPResponse(status: 301, reason: "Moved Permanently", contentType: "text/plain; charset=utf-8", body: [],
                                headers: ["Location: /\(Self.percentEncoded(name))/"])
        }
        return notFound
    }

    private var notFound: HTTPResponse {
        let body = site.files["404.html"].map { Self.inject($0, generation: site.generation) } ?? Array("not found\n".utf8)
        return HTTPResponse(status: 404, reason: "Not Found", contentType: "text/html; charset=utf-8", body: body)
    }

    /// A path for a Location header: unreserved characters and `/` as they are, every other byte as %XX.
    static func percentEncoded(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
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
    ///
    /// A rebuild that fails publishes nothing, so the generation stays and open pages keep the last good
    /// site. Anything but a 200 with a number (a refusal, a stopped server) is not a change: it polls again later.
    static let reloadScript = """
    (function () {
      var me = document.currentScript, seen = me ? me.getAttribute("data-generation") : null;
      function poll() {
        fetch("/__runbook/generation", { cache: "no-store" })
          .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.text(); })
          .then(function (g) {
            if (!/^[0-9]+$/.test(g)) { throw new Error("not a generation"); }
            if (seen !== null && g !== seen) { window.location.reload(); return; }
            seen = g; setTimeout(poll, 700);
          })
          .catch(function () { setTimeout(poll, 2000); });
      }
      setTimeout(poll, 700);
    })();

    """

    /// Adds the reload script before the last `</body>` (or at the end).
    static func inject(_ html: [UInt8], generation: Int) -> [UInt8] {
        let tag = Array("<script src=\"/__runbook/reload.js\" data-generation=\"\(generation)\"></script>\n".utf8)
        let close = Array("</body>".utf8)
        var i = html.count - close.count
        while i >= 0 {
            if html[i] == close[0], html[i..<(i + close.count)].elementsEqual(close) {
                return Array(html[..<i]) + tag + Array(html[i...])
            }
            i -= 1
        }
        return html + tag
    }
}
