import RunbookCore

/// Removes secrets from any text before it is printed, recorded in the audit log or sent out.
///
/// Two layers: known secret values (secret parameters, secret environment variables, the
/// variables runbook.toml names with `*_env` keys) are replaced wherever they appear; and shapes
/// that are secret whatever their value (AWS access key ids, secret keys and session tokens in
/// their usual spellings, passwords in URLs, Slack webhook URLs, `password=...`) are masked.
public struct Redactor: Sendable {
    public static let mask = "[redacted]"
    /// Known values, longest first so a secret that contains another is masked whole.
    public private(set) var secrets: [String]

    public init(secrets: [String] = []) {
        self.secrets = []
        add(secrets)
    }

    /// Adds values to mask; values shorter than 4 characters are ignored (masking `1` or `yes`
    /// everywhere would hide real output and protect nothing).
    public mutating func add(_ values: [String]) {
        for v in values where v.count >= 4 && !secrets.contains(v) { secrets.append(v) }
        secrets.sort { $0.count > $1.count }
    }

    /// Secret values of the process environment: variables whose names contain SECRET, TOKEN,
    /// PASSWORD, PASSWD or KEY (`AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `RUNBOOK_AUDIT_KEY`, ...),
    /// and the variables the environment's `*_env` keys name (`redis_password_env`,
    /// `database_url_env`, `slack_webhook_env`).
    public static func forEnvironment(_ processEnvironment: [String: String], config: EnvironmentConfig?) -> Redactor {
        var values: [String] = []
        for (name, value) in processEnvironment where ParameterName.isSecret(name) { values.append(value) }
        if let config {
            for name in [config.redisPasswordEnv, config.databaseURLEnv, config.slackWebhookEnv].compactMap({ $0 }) {
                if let v = processEnvironment[name] { values.append(v) }
            }
        }
        return Redactor(secrets: values)
    }

    public func redact(_ text: String) -> String {
        var out = text
        for s in secrets where out.contains(s) {
            out = out.replacingAll(s, with: Self.mask)
        }
        out = out.replacing(#/(?:AKIA|ASIA|AIDA|AROA|ANPA|AGPA)[A-Z0-9]{16}/#, with: Self.mask)
        out = out.replacing(#/(?i)(aws_secret_access_key|aws_session_token|x-amz-security-token)(["']?\s*[=:]\s*["']?)[^\s"'&]+/#) { m in
            "\(m.output.1)\(m.output.2)\(Self.mask)"
        }
        out = out.replacing(#/"(SecretAccessKey|SessionToken|secretAccessKey|sessionToken)"\s*:\s*"[^"]*"/#) { m in
            "\"\(m.output.1)\": \"\(Self.mask)\""
        }
        out = out.replacing(#/([A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@'"]*):([^@\s/'"]+)@/#) { m in
            "\(m.output.1):\(Self.mask)@"
        }
        out = out.replacing(#/https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]+/#, with: "https://hooks.slack.com/services/\(Self.mask)")
        out = out.replacing(#/(?i)\b(password|passwd|pgpassword|secret|token)=([^\s&'"]+)/#) { m in
            "\(m.output.1)=\(Self.mask)"
        }
        return out
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
