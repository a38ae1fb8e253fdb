import Foundation

/// Prometheus' instant query API (`GET /api/v1/query?query=...`): vector and scalar results, and
/// Prometheus' own error text when the query is refused.
public struct PrometheusClient: Sendable {
    public var baseURL: URL
    public var transport: any HTTPTransport
    public var timeout: Double

    public init(baseURL: URL, transport: any HTTPTransport = CurlTransport(), timeout: Double = 10) {
        self.baseURL = baseURL
        self.transport = transport
        self.timeout = timeout
    }

    /// Runs `query` at the server's current time.
    public func query(_ query: String) throws(PrometheusError) -> PrometheusResult {
        var text = baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/api/v1/query?query=" + SigV4Signer.uriEncode(query)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), HealthProbe.schemes.contains(scheme) else {
            throw PrometheusError.badURL(baseURL.absoluteString)
        }
        let response: HTTPResponse
        do {
            response = try transport.send(HTTPRequest(method: "GET", url: url, headers: [(name: "Accept", value: "application/json")],
                                                      connectTimeout: min(timeout, 5), timeout: timeout))
        } catch {
            throw PrometheusError.unreachable(error)
        }
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        guard let object else {
            let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw PrometheusError.unreadable(status: response.status, detail: excerpt.isEmpty ? "empty body" : excerpt)
        }
        if (object["status"] as? String) != "success" {
            throw PrometheusError.api(status: response.status, errorType: object["errorType"] as? String ?? "error",
                                      message: object["error"] as? String ?? "(no error text)")
        }
        guard let data = object["data"] as? [String: Any], let type = data["resultType"] as? String else {
            throw PrometheusError.unreadable(status: response.status, detail: "no data.resultType in the reply")
        }
        var rows: [PrometheusResult.Row] = []
        switch type {
        case "vector":
            for item in data["result"] as? [[String: Any]] ?? [] {
                let metric = item["metric"] as? [String: String] ?? [:]
                let (t, v) = Self.sample(item["value"])
                rows.append(PrometheusResult.Row(labels: metric, time: t, value: v))
            }
        case "matrix":
            for item in data["result"] as? [[String: Any]] ?? [] {
                let metric = item["metric"] as? [String: String] ?? [:]
                let last = (item["values"] as? [Any])?.last
                let (t, v) = Self.sample(last)
                rows.append(PrometheusResult.Row(labels: metric, time: t, value: v))
            }
        case "scalar", "string":
            let (t, v) = Self.sample(data["result"])
            rows.append(PrometheusResult.Row(labels: [:], time: t, value: v))
        default:
            throw PrometheusError.unreadable(status: response.status, detail: "unknown resultType \(type)")
        }
        let warnings = object["warnings"] as? [String] ?? []
        return PrometheusResult(query: query, resultType: type, rows: rows, warnings: warnings)
    }

    /// `[1700000000.123, "1"]` -> (time, value).
    static func sample(_ any: Any?) -> (Double, String) {
        guard let pair = any as? [Any], pair.count == 2 else { return (0, "") }
        let t = (pair[0] as? Double) ?? (pair[0] as? NSNumber)?.doubleValue ?? 0
        return (t, pair[1] as? String ?? "\(pair[1])")
    }
}
