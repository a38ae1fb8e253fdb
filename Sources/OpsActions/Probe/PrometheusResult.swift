import Foundation

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
