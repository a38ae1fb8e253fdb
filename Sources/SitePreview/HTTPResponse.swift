/// One HTTP/1.1 response of the preview server; every one closes its connection.
struct HTTPResponse: Equatable {
    var status: Int
    var reason: String
    var contentType: String
    var body: [UInt8]
    /// Extra header lines, without their CRLF (`Allow: GET, HEAD`).
    var headers: [String] = []

    /// A short plain-text answer, for refusals and errors.
    static func text(_ status: Int, _ reason: String, _ message: String, headers: [String] = []) -> HTTPResponse {
        HTTPResponse(status: status, reason: reason, contentType: "text/plain; charset=utf-8", body: Array((message + "\n").utf8), headers: headers)
    }

    /// The bytes on the wire; `includeBody: false` answers a HEAD (same headers, no body).
    func serialized(includeBody: Bool = true) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        head += "Cache-Control: no-store\r\n"
        head += "X-Content-Type-Options: nosniff\r\n"
        head += "Connection: close\r\n"
        for line in headers { head += line + "\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (includeBody ? body : [])
    }
}
