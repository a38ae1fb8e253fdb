/// `runbook.toml`: where the docs are, how the site is built, and the environments runs target.
public struct RunbookConfig: Sendable, Equatable {
    public var site: SiteSettings
    /// Environments by name (`staging`, `production`, ...).
    public var environments: [String: EnvironmentConfig]
    public var audit: AuditSettings
    /// The config file, as given (for messages).
    public var path: String

    public init(site: SiteSettings = SiteSettings(), environments: [String: EnvironmentConfig] = [:],
                audit: AuditSettings = AuditSettings(), path: String = "runbook.toml") {
        self.site = site
        self.environments = environments
        self.audit = audit
        self.path = path
    }

    /// Environment names, sorted.
    public var environmentNames: [String] { environments.keys.sorted() }

    /// The environment called `name`, or an error that lists the ones there are.
    public func environment(_ name: String) throws(ConfigError) -> EnvironmentConfig {
        guard let env = environments[name] else {
            throw ConfigError(file: path, line: 0,
                              message: "no environment '\(name)' in \(path); it has: \(environmentNames.joined(separator: ", "))")
        }
        return env
    }
}

public struct SiteSettings: Sendable, Equatable {
    public var title: String = "Operations"
    public var docs: String = "docs/operations"
    public var out: String = "site"
    /// Absolute URL the site is published at (for sitemap.xml), if any.
    public var baseURL: String?
    /// A folder whose files override the embedded templates and assets by name.
    public var theme: String?
    /// `lang` of every page.
    public var language: String = "ko"

    public init() {}
}

public struct AuditSettings: Sendable, Equatable {
    /// CloudWatch Logs group that mirrors every audit record, if set.
    public var cloudwatchLogGroup: String?
    public init() {}
}

/// One target environment: the AWS account and region, and every endpoint the docs' steps touch.
///
/// Secrets are never values here: keys ending in `_env` name the environment variable that holds one.
public struct EnvironmentConfig: Sendable, Equatable {
    public var name: String
    public var region: String?
    public var awsAccount: String?
    public var awsProfile: String?
    public var cluster: String?
    public var service: String?
    public var logGroup: String?
    public var healthURL: String?
    public var prometheusURL: String?
    public var redisURL: String?
    public var redisPasswordEnv: String?
    public var dbInstance: String?
    public var database: String?
    public var databaseURLEnv: String?
    public var backupBucket: String?
    public var slackWebhookEnv: String?
    /// A protected environment asks for the service name before any change.
    public var isProtected: Bool = false
    /// Extra parameters for docs (`[env.NAME.vars]`), by name.
    public var vars: [String: String] = [:]
    /// Parameters whose values are secret (`secret = ["signing-key"]`), by `ParameterName.key`:
    /// masked in plans, output and the audit log like `*_env` values.
    public var secretParameters: Set<String> = []

    /// Whether runbook.toml or the parameter's name says its value is secret.
    public func isSecretParameter(_ name: String) -> Bool {
        ParameterName.isSecret(name) || secretParameters.contains(ParameterName.key(name))
    }
    /// Line of the `[env.NAME]` header.
    public var line: Int = 0

    public init(name: String) { self.name = name }

    /// The keys an `[env.NAME]` table may have, in the order the README documents them.
    public static let knownKeys: [String] = [
        "region", "aws_account", "aws_profile", "cluster", "service", "log_group", "health_url", "prometheus_url",
        "redis_url", "redis_password_env", "db_instance", "database", "database_url_env", "backup_bucket",
        "slack_webhook_env", "protected",
    ]

    /// The configured value of a key (by its runbook.toml name).
    public func value(forKey key: String) -> String? {
        switch key {
        case "region": return region
        case "aws_account": return awsAccount
        case "aws_profile": return awsProfile
        case "cluster": return cluster
        case "service": return service
        case "log_group": return logGroup
        case "health_url": return healthURL
        case "prometheus_url": return prometheusURL
        case "redis_url": return redisURL
        case "redis_password_env": return redisPasswordEnv
        case "db_instance": return dbInstance
        case "database": return database
        case "database_url_env": return databaseURLEnv
        case "backup_bucket": return backupBucket
        case "slack_webhook_env": return slackWebhookEnv
        case "protected": return isProtected ? "true" : "false"
        default: return nil
        }
    }

    /// The value a doc parameter takes from this environment: `${CLUSTER}` -> `cluster`,
    /// `${LOG_GROUP}` -> `log_group`, anything in `[env.NAME.vars]` by its exact name.
    /// Keys naming secrets (`*_env`) are never parameters.
    public func parameter(_ name: String) -> String? {
        if let v = vars[name] { return v }
        let key = name.lowercased().replacingOccurrences(of: "-", with: "_")
        guard !key.hasSuffix("_env"), key != "protected" else { return nil }
        return value(forKey: key)
    }
}

/// A problem in runbook.toml, with the line.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
