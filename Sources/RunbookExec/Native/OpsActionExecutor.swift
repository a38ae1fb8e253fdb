import SystemIO
import RunbookCore
import Foundation
import OpsActions

/// Runs the planner's native actions for real, through OpsActions (ECS, CloudWatch Logs, RDS, STS,
/// S3, health, Prometheus, Redis).
///
/// AWS settings come from the same resolver `runbook ecs` uses (profile and region of the action,
/// else the environment's, then the AWS CLI's own chain; `AWS_ENDPOINT_URL*` honoured). Every call
/// runs on its own thread and the step's task returns as soon as it is cancelled (timeout, Ctrl-C).
/// A redeploy, task-definition update or rollback refuses while the service has a deployment in
/// progress that this run did not start, unless `--force`.
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

    /// The AWS settings for `aws` in `environment`, resolved as `runbook ecs` does.
    func settings(_ aws: AWSOptions?, _ environment: EnvironmentConfig) throws -> AWSSettings {
        let explicitRegion = aws?.region ?? environment.region
        let source = aws?.region != nil ? "--region" : "runbook.toml [env.\(environment.name)]"
        return try resolver.resolve(profile: aws?.profile ?? environment.awsProfile, region: explicitRegion, regionSource: source)
    }

    public func callerIdentity(environment: EnvironmentConfig) async throws -> CallerIdentity? {
        let settings = try settings(nil, environment)
        let sts = STSClient(settings: settings, transport: transport, timeout: requestTimeout)
        let id = try await BlockingWork.run { try sts.getCallerIdentity() }
        return CallerIdentity(account: id.account, arn: id.arn)
    }

    public func run(_ action: NativeAction, context: NativeActionContext) async throws -> NativeActionResult {
        let flag = CancelFlag()
        let env = context.environment
        switch action {
        case let .ecsDescribeServices(cluster, services, aws):
            let ecs = try ecsClient(aws, env)
            let cluster = try required(cluster, "cluster")
            return try await BlockingWork.run(cancel: flag) {
                let out = try ecs.describeServices(cluster: cluster, services: services)
                for s in out.services {
                    let stable = (s.deployments ?? []).count == 1 && s.runningCount == s.desiredCount
                    ServiceStatus(cluster: cluster, service: s, tasks: [], stable: stable).lines().filter { !$0.hasPrefix("  tasks (") }.forEach(context.output)
                }
                for f in out.failures { context.output("failure: \(f.arn ?? "?") \(f.reason ?? "") \(f.detail ?? "")") }
                let allFound = out.failures.isEmpty && out.services.count == services.count
                return NativeActionResult(succeeded: allFound, message: allFound ? nil : "ECS did not find every service")
            }
        case let .ecsDescribeTasks(cluster, tasks, aws):
            let ecs = try ecsClient(aws, env)
            let cluster = try required(cluster, "cluster")
            return try await BlockingWork.run(cancel: flag) {
                let out = try ecs.describeTasks(cluster: cluster, tasks: tasks)
                for t in out.tasks { context.output(Self.taskLine(t)) }
                for f in out.failures { context.output("failure: \(f.arn ?? "?") \(f.reason ?? "") \(f.detail ?? "")") }
                let ok = out.failures.isEmpty && !out.tasks.isEmpty
                return NativeActionResult(succeeded: ok, message: ok ? "\(out.tasks.count) task(s)" : "ECS did not describe every task")
            }
        case let .ecsListTasks(cluster, serviceName, desiredStatus, aws):
            let ecs = try ecsClient(aws, env)
            let cluster = try required(cluster, "cluster")
            return try await BlockingWork.run(cancel: flag) {
                let arns = try ecs.listTasks(cluster: cluster, serviceName: serviceName, desiredStatus: desiredStatus)
                arns.forEach(context.output)
                return NativeActionResult(succeeded: true, message: "\(arns.count) task(s)")
            }
        case let .ecsForceNewDeployment(cluster, service, aws):
            let actions = try serviceActions(cluster: cluster, service: service, aws: aws, env: env, context: context, flag: flag)
            let key = deploymentKey(actions)
            let force = context.force || started.contains(key)
            let started = self.started
            return try await BlockingWork.run(cancel: flag) {
                let result = try actions.redeploy(force: force, wait: false, progress: context.output)
                started.insert(key)
                let now = try actions.describe()
                let td = Self.short(result.taskDefinition)
                return NativeActionResult(
                    succeeded: true, message: "new deployment of \(actions.service) started with \(td)",
                    before: ["task_definition": result.taskDefinition, "desired_count": result.desiredCount.map(String.init) ?? "?"],
                    after: ["task_definition": now.taskDefinition ?? "?", "deployments": String(now.deployments?.count ?? 0)])
            }
        case let .ecsUpdateTaskDefinition(cluster, service, taskDefinition, forceNewDeployment, aws):
            let actions = try serviceActions(cluster: cluster, service: service, aws: aws, env: env, context: context, flag: flag)
            let key = deploymentKey(actions)
            let force = context.force || started.contains(key)
            let started = self.started
            return try await BlockingWork.run(cancel: flag) {
                let s = try actions.describe()
                try actions.refuseIfInProgress(s, force: force)
                let current = s.taskDefinition ?? "?"
                let target = try actions.ecs.describeTaskDefinition(taskDefinition)
                guard target.status == "ACTIVE", let arn = target.taskDefinitionArn else {
                    return NativeActionResult(succeeded: false, message: "\(taskDefinition) is \(target.status ?? "not ACTIVE"); nothing changed")
                }
                try actions.records.append(.init(action: "deploy", previousTaskDefinition: current, previousDesiredCount: s.desiredCount,
                                                 newTaskDefinition: arn),
                                           region: actions.region, cluster: actions.cluster, service: actions.service)
                let updated = try actions.ecs.updateService(cluster: actions.cluster, service: actions.service, taskDefinition: arn,
                                                            forceNewDeployment: forceNewDeployment)
                started.insert(key)
                context.output("\(actions.service): \(Self.short(current)) -> \(Self.short(arn))")
                return NativeActionResult(succeeded: true, message: "\(actions.service) updated to \(Self.short(arn))",
                                          before: ["task_definition": current], after: ["task_definition": updated?.taskDefinition ?? arn])
            }
        case let .ecsWaitServicesStable(cluster, services, aws):
            let ecs = try ecsClient(aws, env)
            let cluster = try required(cluster, "cluster")
            let waiter = ServiceStabilityWaiter(ecs: ecs, delay: waitDelay, timeout: max(1, context.timeoutSeconds - 1),
                                                sleeper: CancellableSleeper(flag: flag))
            return try await BlockingWork.run(cancel: flag) {
                var lines: [String] = []
                for service in services {
                    let s = try waiter.wait(cluster: cluster, service: service, progress: context.output)
                    lines.append("\(service): \(ServiceStabilityWaiter.describe(s))")
                }
                return NativeActionResult(succeeded: true, message: "stable: " + lines.joined(separator: "; "))
            }
        case let .rollback(cluster, service, aws):
            let actions = try serviceActions(cluster: cluster, service: try required(service, "service"), aws: aws, env: env,
                                             context: context, flag: flag)
            let key = deploymentKey(actions)
            let force = context.force || started.contains(key)
            let started = self.started
            return try await BlockingWork.run(cancel: flag) {
                let plan = try actions.planRollback(force: force)
                context.output("rollback \(actions.service): \(Self.short(plan.current)) -> \(Self.short(plan.target)) (\(plan.reason))")
                started.insert(key)
                let result = try actions.rollback(plan, wait: true, progress: context.output)
                return NativeActionResult(succeeded: true, message: "\(actions.service) now runs \(Self.short(result.now)) and is stable",
                                          before: ["task_definition": plan.current, "rollback_reason": plan.reason],
                                          after: ["task_definition": result.now])
            }
        case let .logsTail(group, since, follow, filterPattern, aws):
            let settings = try settings(aws, env)
            let tailer = LogTailer(client: LogsClient(settings: settings, transport: transport, timeout: requestTimeout),
                                   sleeper: CancellableSleeper(flag: flag))
            let start = try LogSince.parse(since ?? "10m", now: Date())
            // `--follow` is bounded by the step: follow until shortly before its timeout, then end ok.
            let followFor = follow ? max(0, context.timeoutSeconds - min(5, context.timeoutSeconds / 10) - requestTimeout / 10) : nil
            return try await BlockingWork.run(cancel: flag) {
                let summary = try tailer.tail(group: group, since: start, filterPattern: filterPattern, followFor: followFor) { event in
                    context.output(event.line)
                }
                return NativeActionResult(succeeded: true, message: "\(summary.events) event(s) from \(group)")
            }
        case let .rdsDescribeDBInstances(identifier, aws):
            let settings = try settings(aws, env)
            let identifier = try required(identifier ?? env.dbInstance, "db_instance")
            let rds = RDSClient(settings: settings, transport: transport, timeout: requestTimeout)
            return try await BlockingWork.run(cancel: flag) {
                let status = try rds.describeDBInstance(identifier)
                Self.rows(status.report).forEach(context.output)
                return NativeActionResult(succeeded: true, message: "\(status.identifier): \(status.status)")
            }
        case let .stsGetCallerIdentity(aws):
            let sts = STSClient(settings: try settings(aws, env), transport: transport, timeout: requestTimeout)
            return try await BlockingWork.run(cancel: flag) {
                let id = try sts.getCallerIdentity()
                Self.rows([("Account", id.account), ("Arn", id.arn), ("UserId", id.userID)]).forEach(context.output)
                return NativeActionResult(succeeded: true, message: "account \(id.account)")
            }
        case let .s3Upload(file, bucket, key, aws):
            let transfer = S3Transfer(client: S3Client(settings: try settings(aws, env), transport: transport))
            let path = Self.path(file, in: context.workingDirectory)
            let location = S3Location(bucket: bucket, key: key)
            return try await BlockingWork.run(cancel: flag) {
                let r = try transfer.upload(file: path, to: location, progress: { p in
                    if p.parts > 1 { context.output("part \(p.part)/\(p.parts): \(p.bytesSent)/\(p.totalBytes) bytes") }
                })
                let how = r.parts == 0 ? "one request" : "\(r.parts) parts"
                context.output("upload: \(file) to \(location) (\(r.bytes) bytes, \(how))")
                return NativeActionResult(succeeded: true, message: "uploaded \(r.bytes) bytes to \(location)",
                                          after: ["object": location.description, "bytes": String(r.bytes), "etag": r.etag])
            }
        case let .s3Download(bucket, key, file, aws):
            let transfer = S3Transfer(client: S3Client(settings: try settings(aws, env), transport: transport))
            let path = Self.path(file, in: context.workingDirectory)
            let location = S3Location(bucket: bucket, key: key)
            return try await BlockingWork.run(cancel: flag) {
                let bytes = try transfer.download(location, to: path)
                context.output("download: \(location) to \(file) (\(bytes) bytes)")
                return NativeActionResult(succeeded: true, message: "downloaded \(bytes) bytes from \(location)")
            }
        case let .healthCheck(url, maxTime, connectTimeout, _, failOnHTTPError):
            guard let u = URL(string: url), u.scheme != nil, u.host != nil else {
                return NativeActionResult(succeeded: false, message: "not a URL: \(url)")
            }
            let probe = HealthProbe(transport: transport, timeout: min(maxTime ?? context.timeoutSeconds, context.timeoutSeconds),
                                    connectTimeout: connectTimeout)
            return try await BlockingWork.run(cancel: flag) {
                let report = probe.check(u)
                context.output(report.verdict)
                if let body = report.bodyExcerpt, !body.isEmpty { context.output(body) }
                let ok = report.failure == nil && (report.isHealthy || !failOnHTTPError)
                return NativeActionResult(succeeded: ok, message: report.verdict)
            }
        case let .prometheusQuery(baseURL, query, maxTime):
            guard let u = URL(string: baseURL), u.scheme != nil else {
                return NativeActionResult(succeeded: false, message: "not a URL: \(baseURL)")
            }
            let client = PrometheusClient(baseURL: u, transport: transport, timeout: min(maxTime ?? 30, context.timeoutSeconds))
            return try await BlockingWork.run(cancel: flag) {
                let result = try client.query(query)
                result.table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).forEach(context.output)
                for w in result.warnings { context.output("warning: \(w)") }
                return NativeActionResult(succeeded: true, message: "\(result.rows.count) series")
            }
        case let .redisInfo(url, host, port, section):
            var target: RedisProbe.Target
            if let url {
                target = try RedisProbe.Target(url: url)
            } else {
                target = RedisProbe.Target(host: host ?? "127.0.0.1", port: port.flatMap { Int($0) } ?? 6379)
            }
            if target.password == nil, let name = env.redisPasswordEnv, let pw = context.processEnvironment[name], !pw.isEmpty {
                target.password = pw
            }
            let probe = RedisProbe(timeout: min(5, context.timeoutSeconds))
            let endpoint = target
            let wanted = section ?? "everything"
            return try await BlockingWork.run(cancel: flag) {
                let report = try probe.check(endpoint, section: wanted)
                for line in (report.raw ?? "").split(whereSeparator: \.isNewline) where !line.isEmpty {
                    context.output(String(line))
                }
                let used = report.usedMemoryHuman ?? report.usedMemory.map(String.init) ?? "?"
                let max = (report.maxMemory ?? 0) == 0 ? "no limit" : (report.maxMemoryHuman ?? report.maxMemory.map(String.init) ?? "?")
                return NativeActionResult(succeeded: true, message: "used \(used) of \(max), policy \(report.evictionPolicy ?? "?")")
            }
        }
    }

    // MARK: - helpers

    func ecsClient(_ aws: AWSOptions, _ env: EnvironmentConfig) throws -> ECSClient {
        ECSClient(settings: try settings(aws, env), transport: transport, timeout: requestTimeout)
    }

    func serviceActions(cluster: String?, service: String, aws: AWSOptions, env: EnvironmentConfig, context: NativeActionContext,
                        flag: CancelFlag) throws -> ECSServiceActions {
        let settings = try settings(aws, env)
        let ecs = ECSClient(settings: settings, transport: transport, timeout: requestTimeout)
        let waiter = ServiceStabilityWaiter(ecs: ecs, delay: waitDelay, timeout: max(1, context.timeoutSeconds - 1),
                                            sleeper: CancellableSleeper(flag: flag))
        let store = DeploymentRecordStore.standard(environment: resolver.environment, home: resolver.home)
        return ECSServiceActions(ecs: ecs, region: settings.region, cluster: try required(cluster, "cluster"), service: service,
                                 records: store, waiter: waiter)
    }

    func deploymentKey(_ a: ECSServiceActions) -> String { "\(a.region)/\(a.cluster)/\(a.service)" }

    func required(_ value: String?, _ key: String) throws -> String {
        guard let value, !value.isEmpty else { throw MissingTarget(key: key) }
        return value
    }

    static func short(_ taskDefinition: String) -> String { TaskDefinitionRef(taskDefinition)?.shortName ?? taskDefinition }

    static func path(_ file: String, in directory: String?) -> String {
        guard !file.hasPrefix("/"), let directory else { return file }
        return directory + "/" + file
    }

    static func rows(_ rows: [(label: String, value: String)]) -> [String] {
        let width = rows.map(\.label.count).max() ?? 0
        return rows.map { $0.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.value }
    }

    static func taskLine(_ t: ECSTask) -> String {
        let id = t.taskArn.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "?"
        var line = "\(id) \(t.lastStatus ?? "?") (desired \(t.desiredStatus ?? "?")) \(t.taskDefinitionArn.map(short) ?? "?")"
        if let h = t.healthStatus { line += " health \(h)" }
        if let g = t.group { line += " group \(g)" }
        if let s = t.startedAt { line += " started \(s.iso8601)" }
        if let r = t.stoppedReason, !r.isEmpty { line += " stopped: \(r)" }
        return line
    }

    /// A target the action needs is neither in the command nor in the environment.
    struct MissingTarget: Error, CustomStringConvertible {
        var key: String
        var description: String { "no \(key): give it in the command or as \(key) in the environment in runbook.toml" }
    }
}
