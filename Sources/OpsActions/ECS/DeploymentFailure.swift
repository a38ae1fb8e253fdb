/// Why a deployment runbook waited on will not complete, with the service events that explain it.
public struct DeploymentFailure: Sendable, Equatable, Codable, CustomStringConvertible {
    /// How it ended.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// Its rollout is FAILED (and nothing replaced it yet).
        case failed
        /// The deployment circuit breaker rolled it back: another PRIMARY runs the previous task definition.
        case rolledBack = "rolled-back"
        /// ECS no longer lists it, and nothing says it was rolled back.
        case gone
        /// Another deployment, not a rollback, became PRIMARY (someone else changed the service).
        case replaced
        /// It completed, but on another task definition than the one waited for.
        case settledElsewhere = "settled-elsewhere"
    }

    public var kind: Kind
    /// The deployment that failed; nil when the wait had none to follow.
    public var deploymentID: String?
    /// One sentence: what happened and what runs now.
    public var summary: String
    /// The newest service events since the deployment started (newest first), `TIME message`.
    public var events: [String]

    public init(kind: Kind, deploymentID: String?, summary: String, events: [String]) {
        self.kind = kind
        self.deploymentID = deploymentID
        self.summary = summary
        self.events = events
    }

    /// The outcome to record for the change.
    public var outcome: DeploymentRecordStore.Outcome { kind == .rolledBack ? .rolledBack : .failed }

    /// What to do next, in one sentence.
    public var next: String {
        switch kind {
        case .failed, .gone:
            return "Look at the stopped tasks and why they stopped (`runbook ecs status`), fix the cause, then deploy again"
        case .rolledBack:
            return "The service runs what ECS rolled back to; look at the stopped tasks (`runbook ecs status`), fix the cause, then deploy again"
        case .replaced:
            return "Someone else changed the service meanwhile; see `runbook ecs status` before changing it again"
        case .settledElsewhere:
            return "See `runbook ecs status`: the service runs another task definition than the one waited for"
        }
    }

    /// The summary, then the events, one per indented line.
    public var description: String {
        guard !events.isEmpty else { return summary + " (the service reports no events since)" }
        return ([summary + "; the newest service events:"] + events.map { "    " + $0 }).joined(separator: "\n")
    }
}
