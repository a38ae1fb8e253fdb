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
