import Foundation

/// Waits until an ECS service is stable and runs the expected task definition.
///
/// Each poll applies botocore's `services-stable` acceptors (service MISSING, DRAINING or INACTIVE:
/// fail; exactly one deployment and runningCount == desiredCount: stable), then checks that the
/// PRIMARY deployment runs the expected task definition and, where ECS reports one, that its
/// rolloutState is COMPLETED (FAILED fails at once). Bounded by `timeout`.
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

    /// Polls until stable; `progress` gets one line per poll.
    @discardableResult
    public func wait(cluster: String, service: String, expected: TaskDefinitionRef? = nil,
                     progress: (String) -> Void = { _ in }) throws(ECSActionError) -> ECSServiceDescription {
        let start = now()
        var last = "no reply yet"
        while true {
            let out: ECSClient.DescribeServicesOutput
            do {
                out = try ecs.describeServices(cluster: cluster, services: [service])
            } catch {
                throw .aws(error)
            }
            let elapsed = now().timeIntervalSince(start)
            switch Self.judge(out, service: service, expected: expected) {
            case .stable:
                progress("\(service): stable after \(Int(elapsed))s (\(out.services.first.map(Self.describe) ?? ""))")
                if let s = out.services.first { return s }
                throw .notFound(cluster: cluster, service: service)
            case .failed(let why):
                throw .waitFailed(cluster: cluster, service: service, reason: why)
            case .waiting(let state):
                last = state
                progress("\(service): waiting \(Int(elapsed))s/\(Int(timeout))s: \(state)")
            }
            let remaining = timeout - now().timeIntervalSince(start)
            if remaining <= 0 {
                throw .waitTimedOut(cluster: cluster, service: service, seconds: timeout, lastState: last)
            }
            sleeper.sleep(seconds: min(delay, remaining))
            if now().timeIntervalSince(start) >= timeout {
                // One last look, so a service that became stable during the last sleep is not a timeout.
                if let out = try? ecs.describeServices(cluster: cluster, services: [service]),
                   Self.judge(out, service: service, expected: expected) == .stable, let s = out.services.first {
                    return s
                }
                throw .waitTimedOut(cluster: cluster, service: service, seconds: timeout, lastState: last)
            }
        }
    }
}
