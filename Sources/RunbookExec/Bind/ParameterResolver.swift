import RunbookCore

/// Finds a parameter's value at run time when neither `--set` nor runbook.toml gives one
/// (e.g. `task-id`: a running task of the environment's service).
public protocol ParameterResolver: Sendable {
    /// Parameter keys it answers (`ParameterName.key`: `task_id` for `<task-id>`).
    var keys: Set<String> { get }
    /// What it does, for plans: "a running task of the service".
    var summary: String { get }
    /// The value, or nil when there is none (the parameter then stays unresolved).
    func resolve(_ name: String, environment: EnvironmentConfig, bound: [String: String]) async throws -> String?
}

/// Lists the running tasks of a service; `ECSRunningTasks` is the real one.
public protocol RunningTasksSource: Sendable {
    /// Task ARNs of `service` in `cluster`, reached with `environment`'s region, profile and account.
    func runningTasks(cluster: String, service: String, environment: EnvironmentConfig) async throws -> [String]
}

/// `<task-id>`: the first running task of the environment's service (task ARNs shortened to their id).
public struct ServiceTasksResolver: ParameterResolver {
    public let source: any RunningTasksSource
    public var keys: Set<String> { ["task_id"] }
    public var summary: String { "a running task of the environment's service" }

    public init(source: any RunningTasksSource) { self.source = source }

    public func resolve(_ name: String, environment: EnvironmentConfig, bound: [String: String]) async throws -> String? {
        guard let cluster = bound["cluster"] ?? environment.cluster, let service = bound["service"] ?? environment.service else { return nil }
        let tasks = try await source.runningTasks(cluster: cluster, service: service, environment: environment)
        return tasks.sorted().first.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
    }
}

/// Fixed answers, for tests and for callers that already know the values.
public struct StaticParameterResolver: ParameterResolver {
    public let values: [String: String]
    public var keys: Set<String> { Set(values.keys.map(ParameterName.key)) }
    public var summary: String { "fixed values" }

    public init(_ values: [String: String]) { self.values = values }

    public func resolve(_ name: String, environment: EnvironmentConfig, bound: [String: String]) async throws -> String? {
        values.first { ParameterName.key($0.key) == ParameterName.key(name) }?.value
    }
}
