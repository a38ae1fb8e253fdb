import Foundation

extension RunbookConfig {
    /// Parses runbook.toml text. Unknown tables and keys, wrong types and inline secrets are errors
    /// with the line.
    public static func parse(_ text: String, path: String = "runbook.toml") throws(ConfigError) -> RunbookConfig {
        let toml: TOMLDocument
        do {
            toml = try TOMLDocument(parsing: text)
        } catch {
            throw ConfigError(file: path, line: error.line, message: error.message)
        }
        var config = RunbookConfig(path: path)
        func fail(_ line: Int, _ message: String) -> ConfigError { ConfigError(file: path, line: line, message: message) }

        for (tablePath, line) in toml.tables {
            switch tablePath.count {
            case 1 where ["site", "audit", "env"].contains(tablePath[0]): break
            case 2 where tablePath[0] == "env":
                var env = config.environments[tablePath[1]] ?? EnvironmentConfig(name: tablePath[1])
                env.line = line
                config.environments[tablePath[1]] = env
            case 3 where tablePath[0] == "env" && tablePath[2] == "vars":
                if config.environments[tablePath[1]] == nil { config.environments[tablePath[1]] = EnvironmentConfig(name: tablePath[1]) }
            default:
                throw fail(line, "unknown table [\(tablePath.joined(separator: "."))]; runbook.toml has [site], [audit], [env.NAME] and [env.NAME.vars]")
            }
        }

        for entry in toml.entries {
            func string() throws(ConfigError) -> String {
                guard case .string(let s) = entry.value else {
                    throw fail(entry.line, "'\(entry.key)' must be a quoted string, not \(entry.value.typeName)")
                }
                return s
            }
            switch entry.table.first {
            case "site" where entry.table.count == 1:
                switch entry.key {
                case "title": config.site.title = try string()
                case "docs": config.site.docs = try string()
                case "out": config.site.out = try string()
                case "base_url": config.site.baseURL = try string()
                case "theme": config.site.theme = try string()
                case "language": config.site.language = try string()
                default:
                    throw fail(entry.line, "unknown key '\(entry.key)' in [site]; the keys are title, docs, out, base_url, theme, language")
                }
            case "audit" where entry.table.count == 1:
                switch entry.key {
                case "cloudwatch_log_group": config.audit.cloudwatchLogGroup = try string()
                default: throw fail(entry.line, "unknown key '\(entry.key)' in [audit]; the key is cloudwatch_log_group")
                }
            case "env" where entry.table.count == 2:
                let name = entry.table[1]
                var env = config.environments[name] ?? EnvironmentConfig(name: name)
                try apply(entry, to: &env, fail: fail, string: string)
                config.environments[name] = env
            case "env" where entry.table.count == 3 && entry.table[2] == "vars":
                let name = entry.table[1]
                if Self.looksSecret(entry.key) {
                    throw fail(entry.line, "'\(entry.key)' looks like a secret; put it in an environment variable and name that variable with a key ending in _env")
                }
                config.environments[name, default: EnvironmentConfig(name: name)].vars[entry.key] = try string()
            default:
                let where_ = entry.table.isEmpty ? "at the top of the file" : "in [\(entry.table.joined(separator: "."))]"
                throw fail(entry.line, "unknown key '\(entry.key)' \(where_)")
            }
        }
        return config
    }

    private static func apply(_ entry: TOMLDocument.Entry, to env: inout EnvironmentConfig,
                              fail: (Int, String) -> ConfigError,
                              string: () throws(ConfigError) -> String) throws(ConfigError) {
        switch entry.key {
        case "protected":
            guard case .boolean(let b) = entry.value else { throw fail(entry.line, "'protected' must be true or false") }
            env.isProtected = b
        case "aws_account":
            let s: String
            switch entry.value {
            case .string(let v): s = v
            default:
                // A bare number loses an account id's leading zeros and is not what AWS prints.
                throw fail(entry.line, "'aws_account' must be the 12-digit account id in quotes, e.g. aws_account = \"123456789012\"")
            }
            guard s.count == 12, s.allSatisfy(\.isNumber) else {
                throw fail(entry.line, "aws_account '\(s)' is not a 12-digit AWS account id")
            }
            env.awsAccount = s
        case "secret":
            var names: [String] = []
            if case .array(let items) = entry.value {
                for item in items {
                    guard case .string(let name) = item, !name.isEmpty else { names = []; break }
                    names.append(name)
                }
                if names.count != items.count { names = [] }
            }
            guard !names.isEmpty || entry.value == .array([]) else {
                throw fail(entry.line, "'secret' must be a list of parameter names in quotes, e.g. secret = [\"signing-key\"]")
            }
            env.secretParameters = Set(names.map(ParameterName.key))
        case "region": env.region = try string()
        case "aws_profile": env.awsProfile = try string()
        case "cluster": env.cluster = try string()
        case "service": env.service = try string()
        case "log_group": env.logGroup = try string()
        case "health_url": env.healthURL = try checkedURL(try string(), entry, fail, schemes: ["http", "https"])
        case "prometheus_url": env.prometheusURL = try checkedURL(try string(), entry, fail, schemes: ["http", "https"])
        case "redis_url": env.redisURL = try checkedURL(try string(), entry, fail, schemes: ["redis"])
        case "redis_password_env": env.redisPasswordEnv = try envName(try string(), entry, fail)
        case "db_instance": env.dbInstance = try string()
        case "database": env.database = try string()
        case "database_url_env": env.databaseURLEnv = try envName(try string(), entry, fail)
        case "backup_bucket": env.backupBucket = try string()
        case "slack_webhook_env": env.slackWebhookEnv = try envName(try string(), entry, fail)
        default:
            let hint = looksSecret(entry.key) ? " (secrets are named by environment variable: use a key ending in _env)" : ""
            throw fail(entry.line, "unknown key '\(entry.key)' in [env.\(env.name)]; the keys are \(EnvironmentConfig.knownKeys.joined(separator: ", "))\(hint)")
        }
    }

    /// URLs in the config have one of `schemes` and a host, and carry no password: that belongs
    /// in an environment variable. (A `gopher://` or `dict://` health URL would let a config talk
    /// to any TCP service and call it healthy.)
    private static func checkedURL(_ url: String, _ entry: TOMLDocument.Entry, _ fail: (Int, String) -> ConfigError,
                                   schemes: Set<String>) throws(ConfigError) -> String {
        let scheme = url.range(of: "://").map { url[..<$0.lowerBound].lowercased() }
        guard let scheme, schemes.contains(scheme), let parsed = URLComponents(string: url), parsed.host?.isEmpty == false else {
            let allowed = schemes.sorted().map { "\($0)://" }.joined(separator: " or ")
            // The URL itself is not echoed: it may hold a password.
            let given = scheme.map { "a \($0):// URL" } ?? "text without a scheme"
            throw fail(entry.line, "'\(entry.key)' must be a URL starting with \(allowed), with a host; it is \(given)")
        }
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") {
                throw fail(entry.line, "'\(entry.key)' has a password in the URL; put the password in an environment variable and name it with a key ending in _env")
            }
        }
        return url
    }

    private static func envName(_ name: String, _ entry: TOMLDocument.Entry, _ fail: (Int, String) -> ConfigError) throws(ConfigError) -> String {
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw fail(entry.line, "'\(entry.key)' must be the name of an environment variable (like SLACK_WEBHOOK_URL), not a value")
        }
        return name
    }

    static func looksSecret(_ key: String) -> Bool {
        let k = key.uppercased()
        return ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "WEBHOOK", "API_KEY", "ACCESS_KEY"].contains { k.contains($0) }
    }
}
