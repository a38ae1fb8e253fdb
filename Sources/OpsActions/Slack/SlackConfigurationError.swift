/// The webhook is not configured; names the variable only.
public enum SlackConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    case variableUnset(String)
    case notAURL(String)
    case noVariableNamed(environment: String)

    public var description: String {
        switch self {
        case .variableUnset(let v): return "no Slack webhook: environment variable \(v) is not set"
        case .notAURL(let v): return "environment variable \(v) does not hold an http(s) webhook URL (value not shown: it is a secret)"
        case .noVariableNamed(let env):
            return "environment \(env) has no slack_webhook_env in runbook.toml; pass --webhook-env NAME"
        }
    }
}
