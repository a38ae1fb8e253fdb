import Foundation
import OpsActions

extension OpsActionExecutor {
    /// `mindhit-api:42` for a task definition ARN (or whatever it is, when it is not one).
    static func short(_ taskDefinition: String) -> String { TaskDefinitionRef(taskDefinition)?.shortName ?? taskDefinition }

    /// `file` relative to the project root, as for shell steps.
    static func path(_ file: String, in directory: String?) -> String {
        guard !file.hasPrefix("/"), let directory else { return file }
        return directory + "/" + file
    }

    /// Label/value rows with the values aligned.
    static func rows(_ rows: [(label: String, value: String)]) -> [String] {
        let width = rows.map(\.label.count).max() ?? 0
        return rows.map { $0.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.value }
    }

    /// One line per task: id, status, task definition, health, group, start or stop reason.
    static func taskLine(_ t: ECSTask) -> String {
        let id = t.taskArn.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "?"
        var line = "\(id) \(t.lastStatus ?? "?") (desired \(t.desiredStatus ?? "?")) \(t.taskDefinitionArn.map(short) ?? "?")"
        if let h = t.healthStatus { line += " health \(h)" }
        if let g = t.group { line += " group \(g)" }
        if let s = t.startedAt { line += " started \(s.iso8601)" }
        if let r = t.stoppedReason, !r.isEmpty { line += " stopped: \(r)" }
        return line
    }

    /// One line per ECS failure.
    static func failureLine(_ f: ECSFailure) -> String {
        "failure: \(f.arn ?? "?") \(f.reason ?? "") \(f.detail ?? "")"
    }
}
