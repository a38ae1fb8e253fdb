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

    /// The only schemes probed: a `gopher://` or `dict://` URL would let a `--set` or a config
    /// send any bytes to any TCP service (Redis, memcached) and call the answer healthy.
    public static let schemes: Set<String> = ["http", "https"]

    /// Probes `url`; never throws: an unreachable target is a result, with the reason. Nothing is
    /// sent to a URL that is not http(s).
    public func check(_ url: URL) -> HealthReport {
        guard let scheme = url.scheme?.lowercased(), Self.schemes.contains(scheme), url.host?.isEmpty == false else {
            return HealthReport(url: Self.redacted(url), status: nil, latencySeconds: 0, bodyExcerpt: nil, bodyBytes: nil,
                                failure: .init(kind: "refusedScheme",
                                               message: "only http:// and https:// URLs with a host are probed; \(url.scheme.map { "\($0)://" } ?? "a URL without a scheme") was refused and nothing was sent"))
        }
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
