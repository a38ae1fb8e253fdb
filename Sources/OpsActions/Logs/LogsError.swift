/// Why a logs tail stopped, in words for the operator.
public enum LogsError: Error, Sendable, CustomStringConvertible {
    case aws(AWSError)
    /// The log group does not exist in the region the call went to.
    case logGroupNotFound(group: String, region: String)
    /// `--since` is neither a duration (`10m`, `1h`) nor an ISO time.
    case badSince(String)

    public var description: String {
        switch self {
        case .aws(let e): return e.description
        case .logGroupNotFound(let group, let region):
            return "log group \(group) does not exist in \(region); check the group name (log_group in runbook.toml), the region and the account"
        case .badSince(let text):
            return "--since '\(text)' is neither a duration like 10m, 1h, 2d nor a time like 2026-11-27T05:00:00Z"
        }
    }
}
