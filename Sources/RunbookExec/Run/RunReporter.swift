import Foundation

/// Prints a run for the operator: prefixed step output and status lines (text), or one JSON
/// event per line (`--json`). Everything passed in is already redacted.
public struct RunReporter: Sendable {
    public let json: Bool
    /// Writes text to stdout (`false`) or stderr (`true`).
    public let write: @Sendable (String, Bool) -> Void

    public init(json: Bool, write: @escaping @Sendable (String, Bool) -> Void) {
        self.json = json
        self.write = write
    }

    /// Writes to the real stdout and stderr, unbuffered.
    public static func standard(json: Bool) -> RunReporter {
        RunReporter(json: json) { text, toStderr in
            (toStderr ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
        }
    }

    func event(_ fields: [String: JSONValue]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(fields) { write(String(decoding: data, as: UTF8.self) + "\n", false) }
    }

    func plan(_ report: PlanReport) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let planJSON = (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            write("{\"event\":\"plan\",\"plan\":\(planJSON)}\n", false)
        }
    }

    func notice(_ message: String) {
        if json { event(["event": .string("notice"), "message": .string(message)]) } else { write("runbook: \(message)\n", true) }
    }

    func runStart(run: String, target: String, env: String, steps: Int) {
        if json {
            event(["event": .string("run-start"), "run": .string(run), "target": .string(target), "env": .string(env), "steps": .int(steps)])
        } else {
            write("==> run \(run): \(target) on env \(env), \(steps) step\(steps == 1 ? "" : "s")\n", false)
        }
    }

    func stepStart(_ id: String, kind: String, index: Int, total: Int) {
        if json {
            event(["event": .string("step-start"), "step": .string(id), "kind": .string(kind), "index": .int(index)])
        } else {
            write("==> [\(index)/\(total)] \(id) (\(kind))\n", false)
        }
    }

    func line(_ step: String, _ text: String, stderr: Bool) {
        if json {
            event(["event": .string("output"), "step": .string(step), "stream": .string(stderr ? "stderr" : "stdout"), "line": .string(text)])
        } else {
            write("[\(step)] \(text)\n", stderr)
        }
    }

    func stepEnd(_ id: String, status: StepStatus, exit: Int?, durationMS: Int, message: String?) {
        if json {
            var f: [String: JSONValue] = ["event": .string("step-end"), "step": .string(id), "status": .string(status.rawValue), "duration_ms": .int(durationMS)]
            if let exit { f["exit"] = .int(exit) }
            if let message { f["message"] = .string(message) }
            event(f)
        } else {
            var s = "<== \(id): \(status.rawValue)"
            if let exit, status != .ok { s += " (exit \(exit))" }
            if let message { s += ": \(message)" }
            write(s + "\n", status != .ok && status != .skipped)
        }
    }

    func runEnd(run: String, status: RunStatus, exitCode: Int32, audit: String, head: String) {
        if json {
            event(["event": .string("run-end"), "run": .string(run), "status": .string(status.rawValue), "exit": .int(Int(exitCode)),
                   "audit_log": .string(audit), "chain_head": .string(head)])
        } else {
            write("==> run \(run) \(status.rawValue) (exit \(exitCode)); audit \(audit), chain head \(head)\n", false)
        }
    }
}

/// A JSON value for events.
enum JSONValue: Encodable, Sendable {
    case string(String)
    case int(Int)

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        }
    }
}
