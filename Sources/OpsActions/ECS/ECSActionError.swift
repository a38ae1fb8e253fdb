/// Why an ECS action (status, redeploy, wait, rollback) stopped, in words for the operator.
public enum ECSActionError: Error, Sendable, CustomStringConvertible {
    case aws(AWSError)
    case notFound(cluster: String, service: String)
    case deploymentInProgress(service: String, detail: String)
    case waitFailed(cluster: String, service: String, reason: String)
    /// The deployment waited on failed, vanished, was rolled back or replaced, or settled elsewhere.
    case deploymentFailed(cluster: String, service: String, DeploymentFailure)
    case waitTimedOut(cluster: String, service: String, seconds: Double, lastState: String)
    case noRollbackTarget(service: String, reason: String)
    case badRollbackTarget(String)
    /// The rollback will not go ahead; `considered` lists every revision looked at and why it was skipped.
    case rollbackRefused(service: String, why: String, considered: [ECSServiceActions.ConsideredRevision], next: String)
    /// A task definition to deploy is not ACTIVE (deregistered).
    case taskDefinitionNotActive(name: String, status: String?)
    case verificationFailed(service: String, expected: String, actual: String)
    case state(DeploymentStateError)

    public var description: String {
        switch self {
        case .aws(let e): return e.description
        case .notFound(let cluster, let service):
            return "ECS service \(service) not found in cluster \(cluster); check --cluster/--service, the region and the environment"
        case .deploymentInProgress(let service, let detail):
            return "\(service) already has a deployment in progress (\(detail)); nothing changed. Wait for it (`runbook ecs wait`) or pass --force"
        case .waitFailed(let cluster, let service, let reason):
            return "waiting for \(service) in \(cluster) failed: \(reason)"
        case .deploymentFailed(let cluster, let service, let failure):
            return "\(service) in \(cluster): \(failure)\n  \(failure.next)"
        case .waitTimedOut(let cluster, let service, let seconds, let lastState):
            return "\(service) in \(cluster) not stable after \(HTTPTransportError.seconds(seconds)); last seen: \(lastState)"
        case .noRollbackTarget(let service, let reason):
            return "no rollback target for \(service): \(reason); nothing changed. Name one with --to REVISION|ARN"
        case .badRollbackTarget(let why):
            return "\(why); nothing changed"
        case .rollbackRefused(let service, let why, let considered, let next):
            var lines = ["rollback of \(service) refused: \(why); nothing changed."]
            if !considered.isEmpty { lines += ["  considered (newest first):"] + ECSServiceActions.ConsideredRevision.lines(considered, limit: 20) }
            lines.append("  \(next)")
            return lines.joined(separator: "\n")
        case .taskDefinitionNotActive(let name, let status):
            return "\(name) is \(status ?? "not ACTIVE") (deregistered); ECS would not start it; nothing changed"
        case .verificationFailed(let service, let expected, let actual):
            return "\(service) should now run \(expected) but ECS reports \(actual)"
        case .state(let e): return e.description
        }
    }
}
