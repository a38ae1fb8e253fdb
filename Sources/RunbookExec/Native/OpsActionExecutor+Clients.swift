import RunbookCore
import OpsActions
import SystemIO

extension OpsActionExecutor {
    /// The AWS settings for `aws` in `environment`, resolved as `runbook ecs` does.
    func settings(_ aws: AWSOptions?, _ environment: EnvironmentConfig) throws -> AWSSettings {
        let explicitRegion = aws?.region ?? environment.region
        let source = aws?.region != nil ? "--region" : "runbook.toml [env.\(environment.name)]"
        return try resolver.resolve(profile: aws?.profile ?? environment.awsProfile, region: explicitRegion, regionSource: source)
    }

    func ecsClient(_ aws: AWSOptions, _ env: EnvironmentConfig) throws -> ECSClient {
        ECSClient(settings: try settings(aws, env), transport: transport, timeout: requestTimeout)
    }

    /// A stability waiter whose waits end early when the step's task is cancelled.
    func waiter(_ ecs: ECSClient, context: NativeActionContext, cancel: CancelFlag) -> ServiceStabilityWaiter {
        ServiceStabilityWaiter(ecs: ecs, delay: waitDelay, timeout: max(1, context.timeoutSeconds - 1), sleeper: CancellableSleeper(flag: cancel))
    }

    /// The actions on one service (describe, redeploy, rollback), recording deployments where `runbook ecs` does.
    func serviceActions(cluster: String?, service: String, aws: AWSOptions, env: EnvironmentConfig, context: NativeActionContext,
                        cancel: CancelFlag) throws -> ECSServiceActions {
        let settings = try settings(aws, env)
        let ecs = ECSClient(settings: settings, transport: transport, timeout: requestTimeout)
        let store = DeploymentRecordStore.standard(environment: resolver.environment, home: resolver.home)
        return ECSServiceActions(ecs: ecs, region: settings.region, cluster: try required(cluster, "cluster"), service: service,
                                 records: store, waiter: waiter(ecs, context: context, cancel: cancel))
    }

    /// Which service a deployment this run started is on (see `StartedDeployments`).
    func deploymentKey(_ a: ECSServiceActions) -> String { "\(a.region)/\(a.cluster)/\(a.service)" }

    func required(_ value: String?, _ key: String) throws -> String {
        guard let value, !value.isEmpty else { throw MissingTarget(key: key) }
        return value
    }

    /// A target the action needs is neither in the command nor in the environment.
    struct MissingTarget: Error, CustomStringConvertible {
        var key: String
        var description: String { "no \(key): give it in the command or as \(key) in the environment in runbook.toml" }
    }
}
