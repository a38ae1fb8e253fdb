import SystemIO
import RunbookCore
import Foundation
import OpsActions

/// `<task-id>`: the running tasks of a service, from ECS ListTasks (kept to the service's own
/// group, since not every ECS honours ListTasks' service filter). It runs while binding, before
/// the run's own account check, so it confirms the environment's `aws_account` with STS first.
public struct ECSRunningTasks: RunningTasksSource {
    public var resolver: AWSSettingsResolver
    public var transport: any HTTPTransport
    public var requestTimeout: Double

    public init(resolver: AWSSettingsResolver = .current(), transport: any HTTPTransport = CurlTransport(), requestTimeout: Double = 30) {
        self.resolver = resolver
        self.transport = transport
        self.requestTimeout = requestTimeout
    }

    public func runningTasks(cluster: String, service: String, environment: EnvironmentConfig) async throws -> [String] {
        let settings = try resolver.resolve(profile: environment.awsProfile, region: environment.region,
                                            regionSource: "runbook.toml [env.\(environment.name)]")
        let ecs = ECSClient(settings: settings, transport: transport, timeout: requestTimeout)
        let sts = STSClient(settings: settings, transport: transport, timeout: requestTimeout)
        return try await BlockingWork.run {
            if let account = environment.awsAccount {
                _ = try AccountBinding(sts: sts).verify(expectedAccount: account, environment: environment.name)
            }
            let arns = try ecs.listTasks(cluster: cluster, serviceName: service, desiredStatus: "RUNNING")
            guard !arns.isEmpty else { return [] }
            return try ecs.describeTasks(cluster: cluster, tasks: arns).tasks
                .filter { $0.group == "service:\(service)" && $0.desiredStatus != "STOPPED" }
                .compactMap(\.taskArn)
        }
    }
}
