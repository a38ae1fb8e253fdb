/// AWS CLI global options a native AWS action honours.
public struct AWSOptions: Sendable, Equatable, Codable {
    public var region: String?
    public var profile: String?

    public init(region: String? = nil, profile: String? = nil) {
        self.region = region
        self.profile = profile
    }
}

/// A command the library runs natively (through `NativeActionExecutor`) instead of shelling out.
///
/// String arguments may hold `${NAME}` / `<name>` parameters until the plan is bound.
public enum NativeAction: Sendable, Equatable {
    case ecsDescribeServices(cluster: String?, services: [String], aws: AWSOptions)
    case ecsDescribeTasks(cluster: String?, tasks: [String], aws: AWSOptions)
    case ecsListTasks(cluster: String?, serviceName: String?, desiredStatus: String?, aws: AWSOptions)
    case ecsForceNewDeployment(cluster: String?, service: String, aws: AWSOptions)
    case ecsUpdateTaskDefinition(cluster: String?, service: String, taskDefinition: String, forceNewDeployment: Bool, aws: AWSOptions)
    case ecsWaitServicesStable(cluster: String?, services: [String], aws: AWSOptions)
    case logsTail(group: String, since: String?, follow: Bool, filterPattern: String?, aws: AWSOptions)
    case rdsDescribeDBInstances(identifier: String?, aws: AWSOptions)
    case stsGetCallerIdentity(aws: AWSOptions)
    case s3Upload(file: String, bucket: String, key: String, aws: AWSOptions)
    case s3Download(bucket: String, key: String, file: String, aws: AWSOptions)
    /// `./scripts/rollback.sh`: roll the environment's service back to the previous task definition.
    /// `./scripts/rollback.sh` and `runbook ecs rollback [--to REV] [--no-wait]`.
    case rollback(cluster: String?, service: String?, to: String? = nil, wait: Bool = true, allowFamilyChange: Bool = false, aws: AWSOptions)
    /// `curl URL/health`: fails on an HTTP error status only when curl would (`-f`).
    case healthCheck(url: String, maxTimeSeconds: Double?, connectTimeoutSeconds: Double?, followRedirects: Bool, failOnHTTPError: Bool)
    case prometheusQuery(baseURL: String, query: String, maxTimeSeconds: Double?)
    case redisInfo(url: String?, host: String?, port: String?, section: String?)

    /// A stable dotted name for plans and the audit log: `ecs.update-service.force-new-deployment`.
    public var name: String {
        switch self {
        case .ecsDescribeServices: return "ecs.describe-services"
        case .ecsDescribeTasks: return "ecs.describe-tasks"
        case .ecsListTasks: return "ecs.list-tasks"
        case .ecsForceNewDeployment: return "ecs.update-service.force-new-deployment"
        case .ecsUpdateTaskDefinition: return "ecs.update-service.task-definition"
        case .ecsWaitServicesStable: return "ecs.wait.services-stable"
        case .logsTail: return "logs.tail"
        case .rdsDescribeDBInstances: return "rds.describe-db-instances"
        case .stsGetCallerIdentity: return "sts.get-caller-identity"
        case .s3Upload: return "s3.upload"
        case .s3Download: return "s3.download"
        case .rollback: return "ecs.rollback"
        case .healthCheck: return "http.health"
        case .prometheusQuery: return "prometheus.query"
        case .redisInfo: return "redis.info"
        }
    }

    /// Whether running it changes the world (and so needs confirmation).
    public var changesState: Bool {
        switch self {
        case .ecsForceNewDeployment, .ecsUpdateTaskDefinition, .rollback, .s3Upload: return true
        case .s3Download: return false
        default: return false
        }
    }

    /// Whether it talks to AWS (and so needs the account check first).
    public var isAWS: Bool {
        switch self {
        case .healthCheck, .prometheusQuery, .redisInfo: return false
        default: return true
        }
    }

    /// The AWS options, for AWS actions.
    public var aws: AWSOptions? {
        switch self {
        case .ecsDescribeServices(_, _, let o), .ecsDescribeTasks(_, _, let o), .ecsListTasks(_, _, _, let o),
             .ecsForceNewDeployment(_, _, let o), .ecsUpdateTaskDefinition(_, _, _, _, let o), .ecsWaitServicesStable(_, _, let o),
             .logsTail(_, _, _, _, let o), .rdsDescribeDBInstances(_, let o), .stsGetCallerIdentity(let o), .s3Upload(_, _, _, let o),
             .s3Download(_, _, _, let o), .rollback(_, _, _, _, _, let o):
            return o
        case .healthCheck, .prometheusQuery, .redisInfo:
            return nil
        }
    }

    /// Arguments in a fixed order, for plans, JSON and the audit log (nil values left out).
    public var arguments: [(key: String, value: String)] {
        var out: [(String, String?)] = []
        switch self {
        case let .ecsDescribeServices(cluster, services, _):
            out = [("cluster", cluster), ("services", services.joined(separator: ","))]
        case let .ecsDescribeTasks(cluster, tasks, _):
            out = [("cluster", cluster), ("tasks", tasks.joined(separator: ","))]
        case let .ecsListTasks(cluster, serviceName, desiredStatus, _):
            out = [("cluster", cluster), ("service", serviceName), ("desired_status", desiredStatus)]
        case let .ecsForceNewDeployment(cluster, service, _):
            out = [("cluster", cluster), ("service", service)]
        case let .ecsUpdateTaskDefinition(cluster, service, taskDefinition, force, _):
            out = [("cluster", cluster), ("service", service), ("task_definition", taskDefinition),
                   ("force_new_deployment", force ? "true" : nil)]
        case let .ecsWaitServicesStable(cluster, services, _):
            out = [("cluster", cluster), ("services", services.joined(separator: ","))]
        case let .logsTail(group, since, follow, filterPattern, _):
            out = [("log_group", group), ("since", since), ("follow", follow ? "true" : nil), ("filter_pattern", filterPattern)]
        case let .rdsDescribeDBInstances(identifier, _):
            out = [("db_instance", identifier)]
        case .stsGetCallerIdentity:
            out = []
        case let .s3Upload(file, bucket, key, _):
            out = [("file", file), ("bucket", bucket), ("key", key)]
        case let .s3Download(bucket, key, file, _):
            out = [("bucket", bucket), ("key", key), ("file", file)]
        case let .rollback(cluster, service, to, wait, allowFamilyChange, _):
            out = [("cluster", cluster), ("service", service), ("to", to), ("wait", wait ? nil : "false"),
                   ("allow_family_change", allowFamilyChange ? "true" : nil)]
        case let .healthCheck(url, maxTime, connectTimeout, follow, fail):
            out = [("url", url), ("max_time", maxTime.map(Self.seconds)), ("connect_timeout", connectTimeout.map(Self.seconds)),
                   ("follow_redirects", follow ? "true" : nil), ("fail_on_http_error", fail ? "true" : "false")]
        case let .prometheusQuery(baseURL, query, maxTime):
            out = [("prometheus_url", baseURL), ("query", query), ("max_time", maxTime.map(Self.seconds))]
        case let .redisInfo(url, host, port, section):
            out = [("redis_url", url), ("host", host), ("port", port), ("section", section)]
        }
        if let o = aws {
            out += [("region", o.region), ("profile", o.profile)]
        }
        return out.compactMap { pair in pair.1.map { (key: pair.0, value: $0) } }
    }

    static func seconds(_ v: Double) -> String {
        v == v.rounded() ? "\(Int(v))s" : "\(v)s"
    }

    /// The same action with every string argument passed through `transform`.
    public func mapStrings(_ transform: (String) -> String) -> NativeAction {
        let t = transform
        func o(_ a: AWSOptions) -> AWSOptions { AWSOptions(region: a.region.map(t), profile: a.profile.map(t)) }
        switch self {
        case let .ecsDescribeServices(c, s, a): return .ecsDescribeServices(cluster: c.map(t), services: s.map(t), aws: o(a))
        case let .ecsDescribeTasks(c, s, a): return .ecsDescribeTasks(cluster: c.map(t), tasks: s.map(t), aws: o(a))
        case let .ecsListTasks(c, s, d, a): return .ecsListTasks(cluster: c.map(t), serviceName: s.map(t), desiredStatus: d.map(t), aws: o(a))
        case let .ecsForceNewDeployment(c, s, a): return .ecsForceNewDeployment(cluster: c.map(t), service: t(s), aws: o(a))
        case let .ecsUpdateTaskDefinition(c, s, d, f, a):
            return .ecsUpdateTaskDefinition(cluster: c.map(t), service: t(s), taskDefinition: t(d), forceNewDeployment: f, aws: o(a))
        case let .ecsWaitServicesStable(c, s, a): return .ecsWaitServicesStable(cluster: c.map(t), services: s.map(t), aws: o(a))
        case let .logsTail(g, s, f, p, a): return .logsTail(group: t(g), since: s.map(t), follow: f, filterPattern: p.map(t), aws: o(a))
        case let .rdsDescribeDBInstances(i, a): return .rdsDescribeDBInstances(identifier: i.map(t), aws: o(a))
        case let .stsGetCallerIdentity(a): return .stsGetCallerIdentity(aws: o(a))
        case let .s3Upload(f, b, k, a): return .s3Upload(file: t(f), bucket: t(b), key: t(k), aws: o(a))
        case let .s3Download(b, k, f, a): return .s3Download(bucket: t(b), key: t(k), file: t(f), aws: o(a))
        case let .rollback(c, s, to, wait, family, a):
            return .rollback(cluster: c.map(t), service: s.map(t), to: to.map(t), wait: wait, allowFamilyChange: family, aws: o(a))
        case let .healthCheck(u, m, c, f, e):
            return .healthCheck(url: t(u), maxTimeSeconds: m, connectTimeoutSeconds: c, followRedirects: f, failOnHTTPError: e)
        case let .prometheusQuery(b, q, m): return .prometheusQuery(baseURL: t(b), query: t(q), maxTimeSeconds: m)
        case let .redisInfo(u, h, p, s): return .redisInfo(url: u.map(t), host: h.map(t), port: p.map(t), section: s.map(t))
        }
    }

    /// One line for plans: `ecs.update-service.force-new-deployment cluster=mindhit-cluster service=mindhit-api`.
    public var summary: String {
        ([name] + arguments.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
    }
}
