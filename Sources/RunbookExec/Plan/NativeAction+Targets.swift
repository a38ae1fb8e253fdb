/// What an argument of a native action points at, and which runbook.toml key sets it per environment.
public enum TargetKind: String, Sendable, CaseIterable {
    case cluster, service, region
    case logGroup = "log_group"
    case dbInstance = "db_instance"
    case bucket = "backup_bucket"
    case healthURL = "health_url"
    case prometheusURL = "prometheus_url"
    case redisURL = "redis_url"

    /// Whether an action that leaves it out gets the environment's value (the AWS CLI would use
    /// its own default, which is never what a runbook for this environment means).
    var fillsWhenMissing: Bool {
        switch self {
        case .cluster, .region, .service, .redisURL: return true
        default: return false
        }
    }
}

extension NativeAction {
    /// The same action with every target argument passed through `transform` (nil = not given).
    /// Single-valued targets only; lists (`--services a b`) go through element by element.
    func mapTargets(_ transform: (TargetKind, String?) -> String?) -> NativeAction {
        let t = transform
        func region(_ o: AWSOptions) -> AWSOptions { AWSOptions(region: t(.region, o.region), profile: o.profile) }
        func req(_ k: TargetKind, _ v: String) -> String { t(k, v) ?? v }
        switch self {
        case let .ecsDescribeServices(c, s, a):
            return .ecsDescribeServices(cluster: t(.cluster, c), services: s.map { req(.service, $0) }, aws: region(a))
        case let .ecsDescribeTasks(c, tasks, a):
            return .ecsDescribeTasks(cluster: t(.cluster, c), tasks: tasks, aws: region(a))
        case let .ecsListTasks(c, s, d, a):
            return .ecsListTasks(cluster: t(.cluster, c), serviceName: s.map { req(.service, $0) }, desiredStatus: d, aws: region(a))
        case let .ecsForceNewDeployment(c, s, a):
            return .ecsForceNewDeployment(cluster: t(.cluster, c), service: req(.service, s), aws: region(a))
        case let .ecsUpdateTaskDefinition(c, s, d, f, a):
            return .ecsUpdateTaskDefinition(cluster: t(.cluster, c), service: req(.service, s), taskDefinition: d, forceNewDeployment: f, aws: region(a))
        case let .ecsWaitServicesStable(c, s, a):
            return .ecsWaitServicesStable(cluster: t(.cluster, c), services: s.map { req(.service, $0) }, aws: region(a))
        case let .logsTail(g, s, f, p, a):
            return .logsTail(group: req(.logGroup, g), since: s, follow: f, filterPattern: p, aws: region(a))
        case let .rdsDescribeDBInstances(i, a):
            return .rdsDescribeDBInstances(identifier: i.map { req(.dbInstance, $0) }, aws: region(a))
        case let .stsGetCallerIdentity(a):
            return .stsGetCallerIdentity(aws: region(a))
        case let .s3Upload(f, b, k, a):
            return .s3Upload(file: f, bucket: req(.bucket, b), key: k, aws: region(a))
        case let .s3Download(b, k, f, a):
            return .s3Download(bucket: req(.bucket, b), key: k, file: f, aws: region(a))
        case let .rollback(c, s, to, wait, family, a):
            return .rollback(cluster: t(.cluster, c), service: t(.service, s), to: to, wait: wait, allowFamilyChange: family, aws: region(a))
        case let .healthCheck(u, m, c, f, e):
            return .healthCheck(url: req(.healthURL, u), maxTimeSeconds: m, connectTimeoutSeconds: c, followRedirects: f, failOnHTTPError: e)
        case let .prometheusQuery(b, q, m):
            return .prometheusQuery(baseURL: req(.prometheusURL, b), query: q, maxTimeSeconds: m)
        case let .redisInfo(url, host, port, section):
            var effective = url
            if effective == nil, host != nil || port != nil { effective = "redis://\(host ?? "127.0.0.1"):\(port ?? "6379")" }
            let bound = t(.redisURL, effective)
            return bound == effective ? self : .redisInfo(url: bound, host: nil, port: nil, section: section)
        }
    }
}

extension NativeAction {
    /// What kind of change an action makes, for the plan's notes.
    enum ChangeKind: Equatable {
        case none
        /// A new deployment of an ECS service (redeploy, new task definition, rollback).
        case ecsDeploymentChange
        case upload
    }

    var changeKind: ChangeKind {
        switch self {
        case .ecsForceNewDeployment, .ecsUpdateTaskDefinition, .rollback: return .ecsDeploymentChange
        case .s3Upload: return .upload
        default: return .none
        }
    }
}
