import Foundation

/// Follows one deployment of a service across DescribeServices replies and says when it has
/// completed or why it never will (pure: one reply in, one observation out).
///
/// The deployment followed is the target's, else the PRIMARY of the first reply. It has completed
/// when it is PRIMARY, its rolloutState is COMPLETED and its running count has reached its desired
/// count (for a controller that reports no rolloutState: the only deployment). Without a target
/// deployment the `services-stable` rules must hold too (one deployment, running == desired). It
/// has failed as soon as its rollout is FAILED, ECS no longer lists it, or another deployment
/// became PRIMARY: a rollback by the circuit breaker (the service events say so) or, when the
/// wait was given the deployment, any other change. A wait without a deployment of its own fails
/// on any FAILED rollout it sees and follows a new deployment that was not a rollback.
public struct DeploymentTracker: Sendable {
    /// What one reply says.
    public enum Observation: Sendable, Equatable {
        case completed
        /// Not yet; the state in one line.
        case waiting(String)
        case failed(DeploymentFailure)
        /// The service itself is MISSING, DRAINING or INACTIVE.
        case serviceUnusable(String)
    }

    /// Events shown with a failure, newest first.
    public static let eventLimit = 5
    /// Characters kept of one event message.
    static let eventLength = 300

    public let service: String
    public let target: WaitTarget
    /// The deployment followed so far.
    public private(set) var followed: String?
    /// When the followed deployment was created, by ECS's clock: older events are not about it.
    private var since: Date?

    public init(service: String, target: WaitTarget) {
        self.service = service
        self.target = target
        self.followed = target.deploymentID
    }

    /// Judges one DescribeServices reply and remembers what it needs for the next.
    public mutating func observe(_ output: ECSClient.DescribeServicesOutput) -> Observation {
        if let f = output.failures.first, f.reason == "MISSING" || output.services.isEmpty {
            return .serviceUnusable("service \(service) is MISSING (\(f.reason ?? "not found"))")
        }
        guard let s = output.services.first else { return .serviceUnusable("service \(service) not found") }
        if s.status == "DRAINING" || s.status == "INACTIVE" {
            return .serviceUnusable("service \(service) is \(s.status ?? "")")
        }
        let deployments = s.deployments ?? []
        let primary = s.primaryDeployment
        if followed == nil { followed = primary?.id }

        // Without a deployment of its own, a FAILED rollout in sight is what this wait was about.
        if target.deploymentID == nil, let bad = deployments.first(where: { $0.rolloutState == "FAILED" }) {
            if since == nil { since = bad.createdAt?.date }
            return .failed(failedRollout(bad, s))
        }
        guard let id = followed else {
            // No deployment ids at all (a controller that reports none): services-stable and the task definition.
            switch ServiceStabilityWaiter.judge(output, service: service, expected: target.taskDefinition) {
            case .stable: return .completed
            case .waiting(let state): return .waiting(state)
            case .failed(let why): return .serviceUnusable(why)
            }
        }
        let state = "\(ServiceStabilityWaiter.describe(s)); following deployment \(id)"

        guard let mine = deployments.first(where: { $0.id == id }) else {
            if let next = takeOver(from: id, s) { return .waiting("\(ServiceStabilityWaiter.describe(s)); \(next)") }
            let rolledBack = rollbackEvidence(id, s)
            return .failed(DeploymentFailure(
                kind: rolledBack ? .rolledBack : .gone, deploymentID: id,
                summary: "deployment \(id) is gone: ECS no longer lists it\(rolledBack ? " and rolled the service back" : ""); "
                    + "now \(Self.primaryLine(primary))",
                events: events(s)))
        }
        if since == nil { since = mine.createdAt?.date }
        if mine.rolloutState == "FAILED" { return .failed(failedRollout(mine, s)) }
        if mine.status != "PRIMARY" {
            if let next = takeOver(from: id, s) { return .waiting("\(ServiceStabilityWaiter.describe(s)); \(next)") }
            let rolledBack = rollbackEvidence(id, s)
            let what = rolledBack ? "ECS is rolling the service back" : "another change replaced it"
            return .failed(DeploymentFailure(
                kind: rolledBack ? .rolledBack : .replaced, deploymentID: id,
                summary: "deployment \(id) (\(Self.short(mine.taskDefinition))) is \(mine.status ?? "no longer PRIMARY"), "
                    + "not PRIMARY: \(what); now \(Self.primaryLine(primary))",
                events: events(s)))
        }

        let running = mine.runningCount ?? s.runningCount ?? 0
        let desired = mine.desiredCount ?? s.desiredCount ?? 0
        var done = running >= desired && (mine.rolloutState.map { $0 == "COMPLETED" } ?? (deployments.count == 1))
        if target.deploymentID == nil {
            done = done && deployments.count == 1 && (s.runningCount ?? 0) == (s.desiredCount ?? 0)
        }
        guard done else { return .waiting(state) }
        // Asked for a task definition, the answer is whether it runs; asked for nothing, whether the last change stuck.
        if target.deploymentID == nil, target.taskDefinition == nil, let rollback = circuitBreakerRollback(mine, s) {
            return .failed(rollback)
        }
        if let expected = target.taskDefinition {
            // AWS keeps the service's taskDefinition equal to its PRIMARY deployment's; moto does not
            // update deployments on UpdateService, so where the two disagree the service's own field counts.
            let runs = s.taskDefinition.flatMap(TaskDefinitionRef.init) ?? mine.taskDefinition.flatMap(TaskDefinitionRef.init)
            guard let runs, runs.sameRevision(as: expected) else {
                return .failed(DeploymentFailure(
                    kind: .settledElsewhere, deploymentID: id,
                    summary: "deployment \(id) completed on \(runs?.shortName ?? "an unknown task definition"), "
                        + "not on \(expected.shortName)" + (circuitBreakerRollback(mine, s) != nil ? " (ECS's rollback after a failed deployment)" : ""),
                    events: events(s, slack: 60)))
            }
        }
        return .completed
    }

    // MARK: - helpers

    /// A FAILED rollout: rolled back when another deployment is PRIMARY, else failed.
    private func failedRollout(_ d: ECSDeployment, _ s: ECSServiceDescription) -> DeploymentFailure {
        let primary = s.primaryDeployment
        let rolledBack = primary != nil && primary?.id != d.id
        // ECS ends the reason with a full stop; the summary goes on after it.
        let reason = d.rolloutStateReason.map { ": " + Self.clean($0).trimmingCharacters(in: CharacterSet(charactersIn: ". ")) } ?? ""
        var summary = "deployment \(d.id ?? "?") (\(Self.short(d.taskDefinition))) FAILED\(reason)"
        if rolledBack { summary += "; ECS rolled the service back: now \(Self.primaryLine(primary))" }
        return DeploymentFailure(kind: rolledBack ? .rolledBack : .failed, deploymentID: d.id, summary: summary,
                                 events: events(s))
    }

    /// Without a deployment of its own, the wait follows a new PRIMARY that is not a rollback; the line to show.
    private mutating func takeOver(from id: String, _ s: ECSServiceDescription) -> String? {
        guard target.deploymentID == nil, let p = s.primaryDeployment, let next = p.id, next != id,
              !rollbackEvidence(id, s) else { return nil }
        followed = next
        since = p.createdAt?.date
        return "deployment \(id) was replaced by \(next) (\(Self.short(p.taskDefinition))); following it"
    }

    /// Whether a completed deployment is ECS's rollback (the failed one already gone): the events say
    /// "rolling back" to it, or around when it was created.
    private func circuitBreakerRollback(_ d: ECSDeployment, _ s: ECSServiceDescription) -> DeploymentFailure? {
        guard let id = d.id else { return nil }
        let created = d.createdAt?.date
        let says = (s.events ?? []).filter { e in
            let m = (e.message ?? "").lowercased()
            guard m.contains("rolling back to deployment") else { return false }
            if m.contains(id.lowercased()) { return true }
            // A minute either side: ECS starts the rollback as it gives up on the failed deployment.
            guard let created, let at = e.createdAt?.date else { return false }
            return abs(at.timeIntervalSince(created)) <= 60
        }
        guard !says.isEmpty else { return nil }
        return DeploymentFailure(
            kind: .rolledBack, deploymentID: id,
            summary: "deployment \(id) (\(Self.short(d.taskDefinition))) completed, but it is ECS's rollback after a failed deployment: "
                + "the change before it did not stick",
            events: events(s, slack: 60))
    }

    /// Whether the service events say the deployment failed or ECS is rolling back since it started.
    private func rollbackEvidence(_ id: String, _ s: ECSServiceDescription) -> Bool {
        recent(s).contains { e in
            let m = (e.message ?? "").lowercased()
            if m.contains(id.lowercased()) && m.contains("deployment failed") { return true }
            // Without its start time, an old "rolling back" could be from another deployment.
            return since != nil && m.contains("rolling back to deployment")
        }
    }

    /// Events since the followed deployment was created (all when that is unknown), newest first.
    /// A second of slack by default: ECS writes the first event of a deployment in the second it creates it.
    private func recent(_ s: ECSServiceDescription, slack: Double = 1) -> [ECSServiceEvent] {
        let all = (s.events ?? []).sorted { ($0.createdAt?.date ?? .distantPast) > ($1.createdAt?.date ?? .distantPast) }
        guard let since else { return all }
        return all.filter { ($0.createdAt?.date ?? .distantFuture) >= since.addingTimeInterval(-slack) }
    }

    /// The newest few events that explain what happened, as `TIME message`.
    private func events(_ s: ECSServiceDescription, slack: Double = 1) -> [String] {
        recent(s, slack: slack).prefix(Self.eventLimit).map { "\($0.createdAt?.iso8601 ?? "?") \(Self.clean($0.message ?? ""))" }
    }

    /// `deployment ID (family:rev, rollout STATE, running r/d)`, or that there is no PRIMARY.
    static func primaryLine(_ p: ECSDeployment?) -> String {
        guard let p else { return "no PRIMARY deployment" }
        return "deployment \(p.id ?? "?") (\(short(p.taskDefinition)), rollout \(p.rolloutState ?? "?"), "
            + "running \(p.runningCount ?? 0)/\(p.desiredCount ?? 0)) is PRIMARY"
    }

    static func short(_ td: String?) -> String { td.flatMap(TaskDefinitionRef.init)?.shortName ?? td ?? "?" }

    /// A message from the network as one bounded line: control characters become spaces.
    static func clean(_ text: String) -> String {
        var out = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        if out.count > eventLength { out = String(out.prefix(eventLength)) + "…" }
        return out
    }
}
