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
        guard let url = URL(string: text) else { throw PrometheusError.badURL(baseURL.absoluteString) }
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

/// A query's result: its type and one row per series (one row for a scalar).
public struct PrometheusResult: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var labels: [String: String]
        /// Unix seconds of the sample.
        public var time: Double
        public var value: String

        /// `name{k="v",...}` in Prometheus' own notation; `{}` for none.
        public var series: String {
            var name = labels["__name__"] ?? ""
            let rest = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            if !rest.isEmpty || name.isEmpty {
                name += "{" + rest.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
            }
            return name
        }
    }

    public var query: String
    public var resultType: String
    public var rows: [Row]
    public var warnings: [String]

    /// The result as an aligned text table (SERIES, VALUE); a scalar is one `scalar` row.
    public var table: String {
        if rows.isEmpty { return "(empty \(resultType): no series matched)" }
        let first = resultType == "vector" || resultType == "matrix" ? "SERIES" : "RESULT"
        let names = rows.map { resultType == "vector" || resultType == "matrix" ? $0.series : resultType }
        let width = max(first.count, names.map(\.count).max() ?? 0)
        var out = first.padding(toLength: width, withPad: " ", startingAt: 0) + "  VALUE"
        for (name, row) in zip(names, rows) {
            out += "\n" + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.value
        }
        return out
    }
}

/// Why a Prometheus query failed.
public enum PrometheusError: Error, Sendable, CustomStringConvertible {
    case badURL(String)
    case unreachable(HTTPTransportError)
    /// Prometheus refused the query: its `errorType` and `error` text.
    case api(status: Int, errorType: String, message: String)
    case unreadable(status: Int, detail: String)

    public var description: String {
        switch self {
        case .badURL(let u): return "Prometheus URL '\(u)' is not a URL like http://prometheus:9090"
        case .unreachable(let e): return "Prometheus unreachable: \(e)"
        case .api(let status, let type, let message): return "Prometheus refused the query (HTTP \(status), \(type)): \(message)"
        case .unreadable(let status, let detail): return "Prometheus answered HTTP \(status) with something that is not its API JSON: \(detail)"
        }
    }
}
