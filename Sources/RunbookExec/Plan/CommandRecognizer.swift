import RunbookCore
import Foundation

/// Maps one simple command to a native action, or says why it stays a shell command.
///
/// The table is closed: a command is native only when every word of it is understood. An unknown
/// flag on a recognised command never disappears; the command runs in bash and the plan says why.
public enum CommandRecognizer {
    public enum Recognition: Sendable, Equatable {
        case native(NativeAction)
        case shell(reason: String)
    }

    public static func recognize(_ command: SimpleCommand) -> Recognition {
        guard let program = command.words.first?.literal else {
            return .shell(reason: "the command name is not plain text")
        }
        if let expanded = command.words.first(where: \.hasExpansion) {
            return .shell(reason: "'\(expanded.raw)' needs shell expansion")
        }
        if !command.redirections.isEmpty {
            return .shell(reason: "it redirects input or output (\(command.redirections.map(\.op).joined(separator: " ")))")
        }
        let args = command.words.dropFirst().map(\.text)
        switch program {
        case "aws": return recognizeAWS(Array(args))
        case "curl": return recognizeCurl(Array(args), urlWord: Array(command.words.dropFirst()))
        case "redis-cli": return recognizeRedis(Array(args))
        case "./scripts/rollback.sh", "scripts/rollback.sh":
            return args.isEmpty
                ? .native(.rollback(cluster: nil, service: nil, aws: AWSOptions()))
                : .shell(reason: "rollback.sh is native only without arguments (got \(args.joined(separator: " ")))")
        default:
            return .shell(reason: "\(program) is not a native action")
        }
    }

    // MARK: - aws

    private enum Arity { case flag, one, many }

    private static let awsGlobal: [String: Arity] = ["region": .one, "profile": .one, "no-cli-pager": .flag]
    /// Global options that change what the command prints or where it goes: the native action
    /// would not do the same, so the command stays in bash.
    private static let awsShellGlobals: [String: String] = [
        "query": "--query filters the output with JMESPath, which native actions do not reproduce",
        "output": "--output chooses the AWS CLI's output format, which native actions do not reproduce",
        "endpoint-url": "--endpoint-url hard-codes an endpoint; endpoints come from the environment",
        "debug": "--debug changes what the AWS CLI prints",
        "no-verify-ssl": "--no-verify-ssl turns TLS verification off, which native actions never do",
        "no-paginate": "--no-paginate changes paging",
        "no-sign-request": "--no-sign-request sends unsigned requests",
    ]
    private static let awsOptionArity: [String: Arity] = [
        "cluster": .one, "services": .many, "tasks": .many, "service": .one, "service-name": .one, "desired-status": .one,
        "force-new-deployment": .flag, "task-definition": .one, "since": .one, "follow": .flag, "filter-pattern": .one,
        "db-instance-identifier": .one,
    ]
    private static let awsAllowed: [String: Set<String>] = [
        "ecs describe-services": ["cluster", "services"],
        "ecs describe-tasks": ["cluster", "tasks"],
        "ecs list-tasks": ["cluster", "service-name", "desired-status"],
        "ecs update-service": ["cluster", "service", "force-new-deployment", "task-definition"],
        "ecs wait services-stable": ["cluster", "services"],
        "logs tail": ["since", "follow", "filter-pattern"],
        "rds describe-db-instances": ["db-instance-identifier"],
        "sts get-caller-identity": [],
        "s3 cp": [],
    ]

    /// The options the AWS CLI itself accepts on the recognised operations (besides its global
    /// ones): an option outside them is a misspelling, not just an option runbook leaves to bash.
    static let awsCLIOptions: [String: Set<String>] = [
        "ecs describe-services": ["cluster", "services", "include"],
        "ecs describe-tasks": ["cluster", "tasks", "include"],
        "ecs list-tasks": ["cluster", "container-instance", "family", "started-by", "service-name", "desired-status", "launch-type",
                           "max-items", "starting-token", "page-size"],
        "ecs update-service": ["cluster", "service", "desired-count", "task-definition", "capacity-provider-strategy",
                               "deployment-configuration", "availability-zone-rebalancing", "network-configuration",
                               "placement-constraints", "placement-strategy", "platform-version", "force-new-deployment",
                               "no-force-new-deployment", "health-check-grace-period-seconds", "deployment-controller",
                               "enable-execute-command", "no-enable-execute-command", "enable-ecs-managed-tags",
                               "no-enable-ecs-managed-tags", "load-balancers", "propagate-tags", "service-registries",
                               "service-connect-configuration", "volume-configurations", "vpc-lattice-configurations"],
        "ecs wait services-stable": ["cluster", "services", "include"],
        "logs tail": ["log-stream-names", "log-stream-name-prefix", "follow", "format", "filter-pattern", "since"],
        "rds describe-db-instances": ["db-instance-identifier", "filters", "max-items", "starting-token", "page-size"],
        "sts get-caller-identity": [],
    ]
    static let awsCLIGlobals: Set<String> = [
        "region", "profile", "output", "query", "endpoint-url", "debug", "no-verify-ssl", "no-paginate", "no-sign-request", "ca-bundle",
        "cli-read-timeout", "cli-connect-timeout", "color", "no-cli-pager", "cli-binary-format", "cli-auto-prompt", "no-cli-auto-prompt",
        "cli-input-json", "cli-input-yaml", "generate-cli-skeleton",
    ]

    /// For a recognised AWS command, the options neither runbook nor the AWS CLI knows (a
    /// misspelling such as `--clustr`), each with the closest known option when there is one.
    public static func unknownAWSOptions(_ command: SimpleCommand) -> [String] {
        guard command.words.first?.literal == "aws" else { return [] }
        let args = command.words.dropFirst().map(\.text)
        let words = args.filter { !$0.hasPrefix("-") }
        let two = words.prefix(2).joined(separator: " "), three = words.prefix(3).joined(separator: " ")
        guard let known = awsCLIOptions[three] ?? awsCLIOptions[two] else { return [] }
        let all = known.union(awsCLIGlobals)
        var out: [String] = []
        for a in args where a.hasPrefix("--") {
            let name = String(a.dropFirst(2).prefix { $0 != "=" })
            guard !all.contains(name) else { continue }
            let near = all.min { editDistance($0, name) < editDistance($1, name) }
            let hint = near.map { editDistance($0, name) <= 3 ? " (did you mean --\($0)?)" : "" } ?? ""
            out.append("--\(name)\(hint)")
        }
        return out
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let current = row[j]
                row[j] = a[i - 1] == b[j - 1] ? previous : 1 + min(previous, row[j], row[j - 1])
                previous = current
            }
        }
        return row[b.count]
    }

    static let unknownFlagSuffix = ", which runbook does not run natively (it never drops a flag)"

    static func recognizeAWS(_ args: [String]) -> Recognition {
        var positional: [String] = []
        var options: [String: [String]] = [:]
        var i = 0
        while i < args.count {
            let a = args[i]
            guard a.hasPrefix("-"), a != "-" else {
                positional.append(a)
                i += 1
                continue
            }
            guard a.hasPrefix("--") else { return .shell(reason: "unknown option \(a) on aws \(positional.joined(separator: " "))") }
            var name = String(a.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if let why = awsShellGlobals[name] { return .shell(reason: why) }
            guard let arity = awsGlobal[name] ?? awsOptionArity[name] else {
                return .shell(reason: "aws \(positional.prefix(2).joined(separator: " ")) has option --\(name)" + unknownFlagSuffix)
            }
            i += 1
            switch arity {
            case .flag:
                guard inline == nil else { return .shell(reason: "--\(name) takes no value") }
                options[name, default: []].append("true")
            case .one:
                if let inline {
                    options[name, default: []].append(inline)
                } else {
                    guard i < args.count else { return .shell(reason: "--\(name) has no value") }
                    options[name, default: []].append(args[i])
                    i += 1
                }
            case .many:
                var values: [String] = inline.map { [$0] } ?? []
                while i < args.count, !args[i].hasPrefix("--") {
                    values.append(args[i])
                    i += 1
                }
                guard !values.isEmpty else { return .shell(reason: "--\(name) has no value") }
                options[name, default: []] += values
            }
        }
        guard positional.count >= 2 else { return .shell(reason: "aws without a service and an operation") }
        let key = positional[0] == "ecs" && positional[1] == "wait" && positional.count >= 3
            ? "ecs wait \(positional[2])" : "\(positional[0]) \(positional[1])"
        guard let allowed = awsAllowed[key] else { return .shell(reason: "aws \(key) is not a native action") }
        for name in options.keys.sorted() where awsGlobal[name] == nil && !allowed.contains(name) {
            return .shell(reason: "aws \(key) has option --\(name)" + unknownFlagSuffix)
        }
        for (name, values) in options where awsOptionArity[name] != .many && values.count > 1 {
            return .shell(reason: "--\(name) is given \(values.count) times")
        }
        let aws = AWSOptions(region: options["region"]?.first, profile: options["profile"]?.first)
        func one(_ n: String) -> String? { options[n]?.first }
        let extra = positional.count - key.split(separator: " ").count
        switch key {
        case "ecs describe-services":
            guard extra == 0, let services = options["services"] else { return .shell(reason: "describe-services needs --services and nothing else") }
            return .native(.ecsDescribeServices(cluster: one("cluster"), services: services, aws: aws))
        case "ecs describe-tasks":
            guard extra == 0, let tasks = options["tasks"] else { return .shell(reason: "describe-tasks needs --tasks and nothing else") }
            return .native(.ecsDescribeTasks(cluster: one("cluster"), tasks: tasks, aws: aws))
        case "ecs list-tasks":
            guard extra == 0 else { return .shell(reason: "list-tasks takes no positional arguments") }
            return .native(.ecsListTasks(cluster: one("cluster"), serviceName: one("service-name"), desiredStatus: one("desired-status"), aws: aws))
        case "ecs update-service":
            guard extra == 0, let service = one("service") else { return .shell(reason: "update-service needs --service") }
            let force = options["force-new-deployment"] != nil
            if let td = one("task-definition") {
                return .native(.ecsUpdateTaskDefinition(cluster: one("cluster"), service: service, taskDefinition: td, forceNewDeployment: force, aws: aws))
            }
            guard force else { return .shell(reason: "update-service is native only with --force-new-deployment or --task-definition") }
            return .native(.ecsForceNewDeployment(cluster: one("cluster"), service: service, aws: aws))
        case "ecs wait services-stable":
            guard extra == 0, let services = options["services"] else { return .shell(reason: "wait services-stable needs --services") }
            return .native(.ecsWaitServicesStable(cluster: one("cluster"), services: services, aws: aws))
        case "logs tail":
            guard extra == 1 else { return .shell(reason: "logs tail takes exactly one log group") }
            return .native(.logsTail(group: positional[2], since: one("since"), follow: options["follow"] != nil,
                                     filterPattern: one("filter-pattern"), aws: aws))
        case "rds describe-db-instances":
            guard extra == 0 else { return .shell(reason: "describe-db-instances takes no positional arguments") }
            return .native(.rdsDescribeDBInstances(identifier: one("db-instance-identifier"), aws: aws))
        case "sts get-caller-identity":
            guard extra == 0 else { return .shell(reason: "get-caller-identity takes no positional arguments") }
            return .native(.stsGetCallerIdentity(aws: aws))
        case "s3 cp":
            guard extra == 2 else { return .shell(reason: "s3 cp is native for one file and one s3:// object") }
            let (src, dst) = (positional[2], positional[3])
            switch (S3Location(src), S3Location(dst)) {
            case (nil, let to?) where !src.hasSuffix("/"):
                return .native(.s3Upload(file: src, bucket: to.bucket, key: to.key.isEmpty || to.key.hasSuffix("/") ? to.key + Self.baseName(src) : to.key, aws: aws))
            case (let from?, nil) where !from.key.isEmpty:
                return .native(.s3Download(bucket: from.bucket, key: from.key, file: dst, aws: aws))
            default:
                return .shell(reason: "s3 cp is native for one local file and one s3:// object")
            }
        default:
            return .shell(reason: "aws \(key) is not a native action")
        }
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    struct S3Location {
        var bucket: String
        var key: String

        init?(_ text: String) {
            guard text.hasPrefix("s3://") else { return nil }
            let rest = text.dropFirst(5)
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let b = parts.first, !b.isEmpty else { return nil }
            bucket = String(b)
            key = parts.count > 1 ? String(parts[1]) : ""
        }
    }

    // MARK: - curl

    static func recognizeCurl(_ args: [String], urlWord: [ShellWord]) -> Recognition {
        var fail = false
        var follow = false
        var maxTime: Double?
        var connectTimeout: Double?
        var getMode = false
        var dataQuery: String?
        var urls: [(text: String, word: ShellWord)] = []
        var i = 0
        func value(_ name: String) -> String? {
            i += 1
            return i < args.count ? args[i] : nil
        }
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                var name = a
                var inline: String?
                if let eq = a.firstIndex(of: "=") {
                    name = String(a[..<eq])
                    inline = String(a[a.index(after: eq)...])
                }
                switch name {
                case "--fail": fail = true
                case "--silent", "--show-error": break
                case "--location": follow = true
                case "--get": getMode = true
                case "--max-time", "--connect-timeout", "--data-urlencode", "--request":
                    guard let v = inline ?? value(name) else { return .shell(reason: "\(name) has no value") }
                    switch name {
                    case "--max-time":
                        guard let d = Double(v) else { return .shell(reason: "--max-time \(v) is not a number") }
                        maxTime = d
                    case "--connect-timeout":
                        guard let d = Double(v) else { return .shell(reason: "--connect-timeout \(v) is not a number") }
                        connectTimeout = d
                    case "--request":
                        guard v.uppercased() == "GET" else { return .shell(reason: "curl --request \(v) is not a read") }
                    default:
                        guard v.hasPrefix("query=") else { return .shell(reason: "curl --data-urlencode is native only as query=... for Prometheus") }
                        dataQuery = String(v.dropFirst("query=".count))
                    }
                default:
                    return .shell(reason: "curl has option \(name), which runbook does not run natively (it never drops a flag)")
                }
            } else if a.hasPrefix("-"), a.count > 1 {
                var chars = Array(a.dropFirst())
                while !chars.isEmpty {
                    let c = chars.removeFirst()
                    switch c {
                    case "f": fail = true
                    case "s", "S": break
                    case "L": follow = true
                    case "G": getMode = true
                    case "m", "X":
                        let v = chars.isEmpty ? value("-\(c)") : String(chars)
                        chars = []
                        guard let v else { return .shell(reason: "-\(c) has no value") }
                        if c == "m" {
                            guard let d = Double(v) else { return .shell(reason: "-m \(v) is not a number") }
                            maxTime = d
                        } else if v.uppercased() != "GET" {
                            return .shell(reason: "curl -X \(v) is not a read")
                        }
                    default:
                        return .shell(reason: "curl has option -\(c), which runbook does not run natively (it never drops a flag)")
                    }
                }
            } else {
                urls.append((a, urlWord[i]))
            }
            i += 1
        }
        guard urls.count == 1, let url = urls.first else { return .shell(reason: "curl is native only with exactly one URL") }
        if let range = url.text.range(of: "/api/v1/query") {
            let base = String(url.text[..<range.lowerBound])
            let rest = url.text[range.upperBound...]
            var query = dataQuery
            if rest.hasPrefix("?") {
                let items = rest.dropFirst().split(separator: "&")
                guard items.count == 1, items[0].hasPrefix("query="), dataQuery == nil else {
                    return .shell(reason: "a Prometheus query is native only with a single query= parameter")
                }
                let encoded = String(items[0].dropFirst("query=".count))
                query = encoded.removingPercentEncoding ?? encoded
            } else if !rest.isEmpty {
                return .shell(reason: "\(url.text) is not a Prometheus instant query URL")
            } else if dataQuery != nil, !getMode {
                return .shell(reason: "curl --data-urlencode without -G sends a POST")
            }
            guard let query, !query.isEmpty else { return .shell(reason: "a Prometheus query needs query=...") }
            return .native(.prometheusQuery(baseURL: base, query: query, maxTimeSeconds: maxTime))
        }
        guard dataQuery == nil else { return .shell(reason: "curl --data-urlencode is native only for a Prometheus query") }
        let path = url.text.split(separator: "?").first.map(String.init) ?? url.text
        let isHealthParameter = url.word.parameterNames.contains { ParameterName.key($0) == "health_url" }
        if path.hasSuffix("/health") || path.hasSuffix("/healthz") || path.hasSuffix("/health/") || isHealthParameter {
            return .native(.healthCheck(url: url.text, maxTimeSeconds: maxTime, connectTimeoutSeconds: connectTimeout,
                                        followRedirects: follow, failOnHTTPError: fail))
        }
        return .shell(reason: "curl to \(url.text) is neither a /health probe nor a Prometheus query")
    }

    // MARK: - redis-cli

    static func recognizeRedis(_ args: [String]) -> Recognition {
        var url: String?
        var host: String?
        var port: String?
        var rest: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            switch a {
            case "-h", "-p", "-u":
                guard i + 1 < args.count else { return .shell(reason: "\(a) has no value") }
                let v = args[i + 1]
                if a == "-h" { host = v } else if a == "-p" { port = v } else { url = v }
                i += 2
                continue
            case "-a":
                return .shell(reason: "redis-cli -a puts a password on the command line; use redis_password_env in runbook.toml")
            default:
                if a.hasPrefix("-") {
                    return .shell(reason: "redis-cli has option \(a), which runbook does not run natively (it never drops a flag)")
                }
                rest.append(a)
            }
            i += 1
        }
        guard let command = rest.first, command.uppercased() == "INFO", rest.count <= 2 else {
            return .shell(reason: "redis-cli is native only for INFO [section]")
        }
        return .native(.redisInfo(url: url, host: host, port: port, section: rest.count == 2 ? rest[1] : nil))
    }
}
