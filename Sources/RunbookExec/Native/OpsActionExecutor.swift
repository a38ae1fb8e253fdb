import RunbookCore
import OpsActions
import SystemIO

/// Runs the planner's native actions for real, through OpsActions (ECS, CloudWatch Logs, RDS, STS,
/// S3, health, Prometheus, Redis).
///
/// AWS settings come from the same resolver `runbook ecs` uses (profile and region of the action,
/// else the environment's, then the AWS CLI's own chain; `AWS_ENDPOINT_URL*` honoured). Every call
/// runs on its own thread (`BlockingWork`) and the step's task returns as soon as it is cancelled
/// (timeout, Ctrl-C). A redeploy, task-definition update or rollback refuses while the service has
/// a deployment in progress that this run did not start, unless `--force`.
///
/// This file dispatches; the actions are in `+ECS`, `+Data` (Logs, RDS, STS, S3) and `+Probes`
/// (health, Prometheus, Redis), their clients are set up in `+Clients`, and `+Output` formats
/// what they print.
public struct OpsActionExecutor: NativeActionExecutor {
    public var resolver: AWSSettingsResolver
    public var transport: any HTTPTransport
    /// Seconds each AWS request may take.
    public var requestTimeout: Double
    /// Seconds between polls of `wait services-stable` and a rollback's wait.
    public var waitDelay: Double
    let started = StartedDeployments()

    public init(resolver: AWSSettingsResolver = .current(), transport: any HTTPTransport = CurlTransport(),
                requestTimeout: Double = 30, waitDelay: Double = 15) {
        self.resolver = resolver
        self.transport = transport
        self.requestTimeout = requestTimeout
        self.waitDelay = waitDelay
    }

    public func callerIdentity(environment: EnvironmentConfig) async throws -> CallerIdentity? {
        let sts = STSClient(settings: try settings(nil, environment), transport: transport, timeout: requestTimeout)
        let id = try await BlockingWork.run { try sts.getCallerIdentity() }
        return CallerIdentity(account: id.account, arn: id.arn)
    }

    public func run(_ action: NativeAction, context: NativeActionContext) async throws -> NativeActionResult {
        // Set when the step's task is cancelled: the waits of the abandoned work end early, and no
        // request leaves after it (the transport checks it before each one).
        let cancel = CancelFlag()
        var scoped = self
        scoped.transport = CancellableTransport(base: transport, cancel: cancel, sent: context.sentRequests)
        return try await scoped.dispatch(action, context: context, cancel: cancel)
    }

    private func dispatch(_ action: NativeAction, context: NativeActionContext, cancel: CancelFlag) async throws -> NativeActionResult {
        switch action {
        case let .ecsDescribeServices(cluster, services, aws):
            return try await describeServices(cluster: cluster, services: services, aws: aws, context: context, cancel: cancel)
        case let .ecsDescribeTasks(cluster, tasks, aws):
            return try await describeTasks(cluster: cluster, tasks: tasks, aws: aws, context: context, cancel: cancel)
        case let .ecsListTasks(cluster, serviceName, desiredStatus, aws):
            return try await listTasks(cluster: cluster, serviceName: serviceName, desiredStatus: desiredStatus, aws: aws,
                                       context: context, cancel: cancel)
        case let .ecsForceNewDeployment(cluster, service, aws):
            return try await forceNewDeployment(cluster: cluster, service: service, aws: aws, context: context, cancel: cancel)
        case let .ecsUpdateTaskDefinition(cluster, service, taskDefinition, forceNewDeployment, aws):
            return try await updateTaskDefinition(cluster: cluster, service: service, taskDefinition: taskDefinition,
                                                  forceNewDeployment: forceNewDeployment, aws: aws, context: context, cancel: cancel)
        case let .ecsWaitServicesStable(cluster, services, aws):
            return try await waitServicesStable(cluster: cluster, services: services, aws: aws, context: context, cancel: cancel)
        case let .rollback(cluster, service, to, wait, allowFamilyChange, aws):
            return try await rollback(cluster: cluster, service: service, to: to, wait: wait, allowFamilyChange: allowFamilyChange, aws: aws,
                                      context: context, cancel: cancel)
        case let .logsTail(group, since, follow, filterPattern, aws):
            return try await tailLogs(group: group, since: since, follow: follow, filterPattern: filterPattern, aws: aws,
                                      context: context, cancel: cancel)
        case let .rdsDescribeDBInstances(identifier, aws):
            return try await describeDBInstance(identifier: identifier, aws: aws, context: context, cancel: cancel)
        case let .stsGetCallerIdentity(aws):
            return try await getCallerIdentity(aws: aws, context: context, cancel: cancel)
        case let .s3Upload(file, bucket, key, aws):
            return try await upload(file: file, to: S3Location(bucket: bucket, key: key), aws: aws, context: context, cancel: cancel)
        case let .s3Download(bucket, key, file, aws):
            return try await download(S3Location(bucket: bucket, key: key), to: file, aws: aws, context: context, cancel: cancel)
        case let .healthCheck(url, maxTime, connectTimeout, _, failOnHTTPError):
            return try await checkHealth(url: url, maxTime: maxTime, connectTimeout: connectTimeout, failOnHTTPError: failOnHTTPError,
                                         context: context, cancel: cancel)
        case let .prometheusQuery(baseURL, query, maxTime):
            return try await queryPrometheus(baseURL: baseURL, query: query, maxTime: maxTime, context: context, cancel: cancel)
        case let .redisInfo(url, host, port, section):
            return try await redisInfo(url: url, host: host, port: port, section: section, context: context, cancel: cancel)
        }
    }
}
