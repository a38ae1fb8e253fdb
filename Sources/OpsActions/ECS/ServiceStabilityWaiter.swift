import Foundation

/// Waits until the deployment a change started has completed, or says why it never will.
///
/// Each poll is judged by a `DeploymentTracker`: the deployment (given, else the PRIMARY of the
/// first reply) must become PRIMARY with rolloutState COMPLETED and every task running, on the
/// expected task definition; FAILED, gone, rolled back by the circuit breaker or replaced fails at
/// once, with the service events that say why. Bounded by `timeout`. `judge` keeps botocore's
/// `services-stable` acceptors for a one-off look (`runbook ecs status`).
public struct ServiceStabilityWaiter: Sendable {
    public var ecs: ECSClient
    /// Seconds between polls (botocore: 15).
    public var delay: Double
    /// Seconds in all before giving up.
    public var timeout: Double
    public var sleeper: any Sleeper
    public var now: @Sendable () -> Date

    public init(ecs: ECSClient, delay: Double = 15, timeout: Double = 600, sleeper: any Sleeper = ThreadSleeper(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.ecs = ecs
        self.delay = delay
        self.timeout = timeout
        self.sleeper = sleeper
        self.now = now
    }

    /// What one poll saw.
    public enum Verdict: Sendable, Equatable {
        case stable
        case waiting(String)
        case failed(String)
    }

    /// Judges one DescribeServices reply (pure: the acceptors and the PRIMARY check).
    public static func judge(_ output: ECSClient.DescribeServicesOutput, service: String, expected: TaskDefinitionRef?) -> Verdict {
        if let f = output.failures.first, f.reason == "MISSING" || output.services.isEmpty {
            return .failed("service \(service) is MISSING (\(f.reason ?? "not found"))")
        }
        guard let s = output.services.first else { return .failed("service \(service) not found") }
        if s.status == "DRAINING" || s.status == "INACTIVE" {
            return .failed("service \(service) is \(s.status ?? "")")
        }
        let deployments = s.deployments ?? []
        let running = s.runningCount ?? 0, desired = s.desiredCount ?? 0
        let primary = s.primaryDeployment
        if primary?.rolloutState == "FAILED" {
            return .failed("PRIMARY deployment \(primary?.id ?? "") FAILED: \(primary?.rolloutStateReason ?? "no reason given")")
        }
        let state = describe(s)
        guard deployments.count == 1 && running == desired else { return .waiting(state) }
        if let expected {
            // AWS keeps the service's taskDefinition equal to its PRIMARY deployment's; moto does not
            // update deployments on UpdateService, so where the two disagree the service's own field counts.
            let serviceTD = s.taskDefinition.flatMap(TaskDefinitionRef.init)
            let primaryTD = primary?.taskDefinition.flatMap(TaskDefinitionRef.init)
            let runs = serviceTD ?? primaryTD
            guard let runs, runs.sameRevision(as: expected) else {
                return .waiting("\(state); expected \(expected.shortName)")
            }
        }
        if let rollout = primary?.rolloutState, rollout != "COMPLETED" { return .waiting(state) }
        return .stable
    }

    /// One line about a service: deployments, counts, PRIMARY task definition and rollout state.
    public static func describe(_ s: ECSServiceDescription) -> String {
        let deployments = s.deployments ?? []
        let primary = s.primaryDeployment
        let td = (s.taskDefinition ?? primary?.taskDefinition).flatMap(TaskDefinitionRef.init)?.shortName ?? "?"
        var line = "\(deployments.count) deployment\(deployments.count == 1 ? "" : "s"), running \(s.runningCount ?? 0)/\(s.desiredCount ?? 0)"
        if let p = s.pendingCount, p > 0 { line += ", pending \(p)" }
        line += ", task definition \(td)"
        if let r = primary?.rolloutState { line += ", rollout \(r)" }
        return line
    }

    /// Polls until stable on `expected` (any task definition when nil); `progress` gets one line per poll.
    ///
    /// Follows the PRIMARY deployment of the first reply: see `wait(cluster:service:for:progress:)`.
    @discardableResult
    public func wait(cluster: String, service: String, expected: TaskDefinitionRef? = nil,
                     progress: (String) -> Void = { _ in }) throws(ECSActionError) -> ECSServiceDescription {
        try wait(cluster: cluster, service: service, for: WaitTarget(taskDefinition: expected), progress: progress)
    }

    /// Polls until `target`'s deployment has completed (see `DeploymentTracker`); `progress` gets one line per poll.
    ///
    /// Throws `deploymentFailed` with the newest service events as soon as the deployment is FAILED,
    /// gone, rolled back or replaced, `waitFailed` when the service is gone, and `waitTimedOut`
    /// (with the last state and events) after `timeout`.
    @discardableResult
    public func wait(cluster: String, service: String, for target: WaitTarget,
                     progress: (String) -> Void = { _ in }) throws(ECSActionError) -> ECSServiceDescription {
        let start = now()
        var tracker = DeploymentTracker(service: service, target: target)
        var last = "no reply yet"
        var lastEvents: [String] = []
        while true {
            let out: ECSClient.DescribeServicesOutput
            do {
                out = try ecs.describeServices(cluster: cluster, services: [service])
            } catch {
                throw .aws(error)
            }
            let elapsed = now().timeIntervalSince(start)
            switch tracker.observe(out) {
            case .completed:
                progress("\(service): stable after \(Int(elapsed))s (\(out.services.first.map(Self.describe) ?? ""))")
                if let s = out.services.first { return s }
                throw .notFound(cluster: cluster, service: service)
            case .failed(let failure):
                throw .deploymentFailed(cluster: cluster, service: service, failure)
            case .serviceUnusable(let why):
                throw .waitFailed(cluster: cluster, service: service, reason: why)
            case .waiting(let state):
                last = state
                lastEvents = Self.newestEvents(out.services.first)
                progress("\(service): waiting \(Int(elapsed))s/\(Int(timeout))s: \(state)")
            }
            let remaining = timeout - now().timeIntervalSince(start)
            if remaining <= 0 {
                throw .waitTimedOut(cluster: cluster, service: service, seconds: timeout, lastState: Self.withEvents(last, lastEvents))
            }
            sleeper.sleep(seconds: min(delay, remaining))
            if now().timeIntervalSince(start) >= timeout {
                // One last look, so a deployment that completed (or failed) during the last sleep is not a timeout.
                if let out = try? ecs.describeServices(cluster: cluster, services: [service]) {
                    switch tracker.observe(out) {
                    case .completed:
                        if let s = out.services.first { return s }
                    case .failed(let failure):
                        throw .deploymentFailed(cluster: cluster, service: service, failure)
                    case .serviceUnusable(let why):
                        throw .waitFailed(cluster: cluster, service: service, reason: why)
                    case .waiting(let state):
                        last = state
                        lastEvents = Self.newestEvents(out.services.first)
                    }
                }
                throw .waitTimedOut(cluster: cluster, service: service, seconds: timeout, lastState: Self.withEvents(last, lastEvents))
            }
        }
    }

    /// The newest few service events, `TIME message`.
    static func newestEvents(_ s: ECSServiceDescription?) -> [String] {
        (s?.events ?? []).prefix(DeploymentTracker.eventLimit).map { "\($0.createdAt?.iso8601 ?? "?") \(DeploymentTracker.clean($0.message ?? ""))" }
    }

    static func withEvents(_ state: String, _ events: [String]) -> String {
        events.isEmpty ? state : ([state + "; the newest service events:"] + events.map { "    " + $0 }).joined(separator: "\n")
    }
}
