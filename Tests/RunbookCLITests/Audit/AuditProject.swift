import AuditTrail
import Foundation
import OpsActions
import TestSupport

/// A throwaway project (runbook.toml with `[audit] cloudwatch_log_group`, one doc of shell steps),
/// its own HOME, state folder and audit log, and helpers to run the real `runbook` binary in it.
final class AuditProject: Sendable {
    let root: String
    static let group = "/runbook/audit"

    init(doc: String) throws {
        root = NSTemporaryDirectory() + "runbook-audittrail-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/proj/docs", withIntermediateDirectories: true)
        try Data("""
            [site]
            title = "Audit trail fixture"
            docs = "docs"

            [audit]
            cloudwatch_log_group = "\(Self.group)"

            [env.test]
            region = "us-east-1"
            """.utf8).write(to: URL(fileURLWithPath: root + "/proj/runbook.toml"))
        try Data(doc.utf8).write(to: URL(fileURLWithPath: root + "/proj/docs/drill.md"))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var logPath: String { root + "/audit.jsonl" }
    func file(_ name: String) -> String { root + "/" + name }

    /// The environment of a run: fake keys, the given endpoint, this project's log and state.
    func environment(endpoint: String, extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": root, "RUNBOOK_AUDIT_LOG": logPath, "RUNBOOK_STATE_DIR": root + "/state",
                   "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "moto-fake-secret", "AWS_ENDPOINT_URL": endpoint,
                   "FLAG_DIR": root]
        env.merge(extra) { _, new in new }
        return env
    }

    struct Output {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `runbook ARGS` in the project with exactly `env`, stdin from /dev/null.
    func start(_ args: [String], env: [String: String]) throws -> RunningProcess {
        try ProcessRunner.start(Self.binary, args, environment: env, directory: URL(fileURLWithPath: root + "/proj"), inheritEnvironment: false)
    }

    /// Waits (off the cooperative pool) for a started run to end.
    static func finish(_ started: RunningProcess) async throws -> Output {
        let r = try await started.finish()
        return Output(code: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func run(_ args: [String], env: [String: String]) async throws -> Output {
        try await Self.finish(try start(args, env: env))
    }

    /// The records of the local log.
    func localEntries() -> [AuditLogEntry] {
        AuditLogEntry.parse(Array((try? Data(contentsOf: URL(fileURLWithPath: logPath))) ?? Data()))
    }

    /// The `runbook` binary built with the tests.
    static var binary: String { RunbookExecutable.path }
}
