import Foundation

/// What `runbook ecs status` shows: the service, its deployments, recent events and running tasks.
public struct ServiceStatus: Codable, Sendable {
    public var cluster: String
    public var service: ECSServiceDescription
    /// The service's tasks (group `service:NAME`), newest first.
    public var tasks: [ECSTask]
    /// Whether the service is stable by the `services-stable` rules (no expected task definition).
    public var stable: Bool

    public init(cluster: String, service: ECSServiceDescription, tasks: [ECSTask], stable: Bool) {
        self.cluster = cluster
        self.service = service
        self.tasks = tasks
        self.stable = stable
    }

    /// Lines for a terminal: header, deployments, tasks, the last `events` events.
    public func lines(events: Int = 5) -> [String] {
        let s = service
        var out: [String] = []
        let name = s.serviceName ?? "?"
        let td = s.taskDefinition.flatMap(TaskDefinitionRef.init)?.shortName ?? (s.taskDefinition ?? "?")
        out.append("\(name) in \(cluster): \(s.status ?? "?"), desired \(s.desiredCount ?? 0), running \(s.runningCount ?? 0), pending \(s.pendingCount ?? 0)\(stable ? ", stable" : ", NOT stable")")
        out.append("  task definition: \(td)")
        let deployments = s.deployments ?? []
        out.append("  deployments (\(deployments.count)):")
        for d in deployments {
            let dtd = d.taskDefinition.flatMap(TaskDefinitionRef.init)?.shortName ?? "?"
            var line = "    \(d.status ?? "?") \(dtd) running \(d.runningCount ?? 0)/\(d.desiredCount ?? 0)"
            if let r = d.rolloutState { line += " rollout \(r)" }
            if let f = d.failedTasks, f > 0 { line += " failed tasks \(f)" }
            if let c = d.createdAt { line += " created \(c.iso8601)" }
            out.append(line)
        }
        out.append("  tasks (\(tasks.count)):")
        for t in tasks {
            let id = t.taskArn.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "?"
            let ttd = t.taskDefinitionArn.flatMap(TaskDefinitionRef.init)?.shortName ?? "?"
            var line = "    \(id) \(t.lastStatus ?? "?") (desired \(t.desiredStatus ?? "?")) \(ttd)"
            if let h = t.healthStatus { line += " health \(h)" }
            out.append(line)
        }
        let recent = (s.events ?? []).prefix(events)
        out.append("  recent events:")
        if recent.isEmpty { out.append("    (none)") }
        for e in recent {
            out.append("    \(e.createdAt?.iso8601 ?? "?") \(e.message ?? "")")
        }
        return out
    }
}

extension AWSTimestamp {
    /// `2026-11-27T05:30:00Z`.
    public var iso8601: String {
        let f = ISO8601DateFormatter()
        return f.string(from: date)
    }
}
