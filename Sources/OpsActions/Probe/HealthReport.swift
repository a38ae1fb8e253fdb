/// The outcome of one health probe.
public struct HealthReport: Codable, Sendable, Equatable {
    /// Why no status came back.
    public struct Failure: Codable, Sendable, Equatable {
        /// `connectionRefused`, `timedOut`, `connectFailed`, `hostNotFound`, `tls`, ...
        public var kind: String
        public var message: String

        init(_ e: HTTPTransportError) {
            kind = e.kind.rawValue
            message = e.description
        }

        init(kind: String, message: String) {
            self.kind = kind
            self.message = message
        }
    }

    public var url: String
    public var status: Int?
    public var latencySeconds: Double
    public var bodyExcerpt: String?
    public var bodyBytes: Int?
    public var failure: Failure?

    /// Healthy: an answer below 400 (what `curl -f` accepts).
    public var isHealthy: Bool {
        guard let status else { return false }
        return status < 400
    }

    /// One line for the terminal: `healthy: HTTP 200 in 12 ms`, `UNHEALTHY: HTTP 503 ...`, `UNREACHABLE: ...`.
    public var verdict: String {
        let ms = Int((latencySeconds * 1000).rounded())
        if let failure {
            switch failure.kind {
            case "timedOut": return "UNHEALTHY: \(url) hung: \(failure.message)"
            default: return "UNREACHABLE: \(url): \(failure.message)"
            }
        }
        let code = status ?? 0
        if isHealthy { return "healthy: \(url) answered HTTP \(code) in \(ms) ms" }
        let side = code >= 500 ? "server error" : "client error"
        let reason = Self.reasons[code].map { " \($0)" } ?? ""
        return "UNHEALTHY: \(url) answered HTTP \(code)\(reason) (\(side)) in \(ms) ms"
    }

    static let reasons: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
        408: "Request Timeout", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
