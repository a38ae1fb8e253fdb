import Foundation

/// `curl -fsS --max-time N URL`, natively: one GET with a timeout, reporting status, latency and
/// the first bytes of the body; a refused port, a hang and a 5xx each come back as a plain verdict.
public struct HealthProbe: Sendable {
    public var transport: any HTTPTransport
    /// Seconds for the whole request.
    public var timeout: Double
    public var connectTimeout: Double
    /// Body bytes kept for the report.
    public var excerptBytes: Int

    public init(transport: any HTTPTransport = CurlTransport(), timeout: Double = 5, connectTimeout: Double? = nil,
                excerptBytes: Int = 200) {
        self.transport = transport
        self.timeout = timeout
        self.connectTimeout = connectTimeout ?? min(timeout, 5)
        self.excerptBytes = excerptBytes
    }

    /// Probes `url`; never throws: an unreachable target is a result, with the reason.
    public func check(_ url: URL) -> HealthReport {
        let request = HTTPRequest(method: "GET", url: url, headers: [(name: "Accept", value: "*/*")],
                                  connectTimeout: connectTimeout, timeout: timeout)
        let started = Date()
        do {
            let response = try transport.send(request)
            let latency = response.timing.total > 0 ? response.timing.total : Date().timeIntervalSince(started)
            let excerpt = String(decoding: response.body.prefix(excerptBytes), as: UTF8.self)
            return HealthReport(url: Self.redacted(url), status: response.status, latencySeconds: latency,
                                bodyExcerpt: excerpt, bodyBytes: response.body.count, failure: nil)
        } catch {
            return HealthReport(url: Self.redacted(url), status: nil, latencySeconds: Date().timeIntervalSince(started),
                                bodyExcerpt: nil, bodyBytes: nil, failure: HealthReport.Failure(error))
        }
    }

    /// The URL without a user or password (those are secrets).
    public static func redacted(_ url: URL) -> String {
        guard url.user != nil || url.password != nil, var c = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            return url.absoluteString
        }
        c.user = nil
        c.password = nil
        return c.string ?? url.absoluteString
    }
}

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
