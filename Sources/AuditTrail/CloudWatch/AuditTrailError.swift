import OpsActions

/// A failure talking to the CloudWatch Logs copy of the audit log, saying what to do about it.
public enum AuditTrailError: Error, Sendable, CustomStringConvertible {
    case groupNotFound(group: String, region: String)
    case streamNotFound(group: String, stream: String, region: String)
    case aws(AWSError)
    case configuration(String)
    case unreadableLog(path: String, reason: String)

    public var description: String {
        switch self {
        case .groupNotFound(let group, let region):
            return "the CloudWatch Logs group \(group) does not exist in \(region); create it once (aws logs create-log-group --log-group-name \(group) --region \(region)) or fix [audit] cloudwatch_log_group in runbook.toml"
        case .streamNotFound(let group, let stream, let region):
            return "the CloudWatch Logs group \(group) has no stream \(stream) in \(region)"
        case .aws(let error):
            return error.description
        case .configuration(let message):
            return "cannot resolve AWS settings for the audit copy: \(message)"
        case .unreadableLog(let path, let reason):
            return "cannot read the audit log \(path): \(reason)"
        }
    }
}
