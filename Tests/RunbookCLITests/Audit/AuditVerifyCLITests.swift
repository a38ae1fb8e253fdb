import AuditTrail
import Foundation
import Testing
import TestSupport

/// `runbook audit verify|show|timeline` on tampered logs, and a run refused by a log of the
/// other key mode, through the real binary.
@Suite("runbook audit on tampered logs (CLI)")
struct AuditVerifyCLITests {
    /// Runs `runbook exec drills#hello-only` style steps: the fixture project's diagnose step.
    static func exec(_ dir: TempDir, extra: [String: String] = [:]) async throws -> RunbookBinary.Result? {
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": dir.path, "RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"),
                   "RUNBOOK_STATE_DIR": dir.file("state")]
        env.merge(extra) { _, new in new }
        return try await RunbookBinary.run(["exec", "drills#shell", "--env", "test", "--only", "hello", "--config", Fixture.projectConfig],
                                     environment: env)
    }

    static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// The chain head a run prints on its last line (`... chain head HASH`).
    static func printedHead(_ r: RunbookBinary.Result) -> String? {
        (r.stdout + r.stderr).split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "chain head ") else { return nil }
            return String(line[range.upperBound...].prefix(64))
        }.last
    }

    @Test("--expect-head: the head a run printed proves the log was not cut; cut the last run and verify fails naming it")
    func expectHeadCatchesACutTail() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let first = try await #require(try Self.exec(dir))
        #expect(first.status == 0)
        let second = try await #require(try Self.exec(dir))
        let head = try #require(Self.printedHead(second), "the run prints its chain head")
        let log = dir.file("audit.jsonl")
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path]
        let ok = try #require(try await RunbookBinary.run(["audit", "verify", "--log", log, "--expect-head", head], environment: env))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("OK,"))

        // Drop the second run: the chain is still intact, only the head from outside tells.
        let records = AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: log))))
        let firstRunEnd = try #require(records.firstIndex { $0.record.event == .runEnd })
        let kept = records[...firstRunEnd].map(\.text).joined(separator: "\n") + "\n"
        try Data(kept.utf8).write(to: URL(fileURLWithPath: log))
        let plain = try #require(try await RunbookBinary.run(["audit", "verify", "--log", log], environment: env))
        #expect(plain.status == 0)
        let cut = try #require(try await RunbookBinary.run(["audit", "verify", "--log", log, "--expect-head", "sha256:" + head], environment: env))
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("does not hold the expected chain head \(head)"))

        // An emptied log is caught the same way.
        try Data().write(to: URL(fileURLWithPath: log))
        let empty = try #require(try await RunbookBinary.run(["audit", "verify", "--log", log, "--expect-head", head], environment: env))
        #expect(empty.status == 1)
    }

    @Test("show and timeline say first, on stderr, that a tampered log does not verify, and exit 1")
    func showAndTimelineVerifyFirst() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        await #expect(try #require(try Self.exec(dir)).status == 0)
        let log = dir.file("audit.jsonl")
        var text = try String(contentsOfFile: log, encoding: .utf8)
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "RUNBOOK_AUDIT_LOG": log]
        let clean = try #require(try await RunbookBinary.run(["audit", "show"], environment: env))
        #expect(clean.status == 0)
        #expect(!clean.stderr.contains("does not verify"))
        let runID = try #require(AuditLogEntry.parse(Array(text.utf8)).first?.record.run)

        text = text.replacingOccurrences(of: "\"status\":\"ok\"", with: "\"status\":\"failed\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: log))
        for args in [["audit", "show"], ["audit", "timeline", "--run", runID]] {
            let r = try #require(try await RunbookBinary.run(args, environment: env))
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.contains("does not verify"), "\(args)")
            #expect(r.stderr.contains("what follows may have been altered"), "\(args)")
            #expect(!r.stdout.isEmpty, "\(args): what was found is still shown")
        }
    }

    @Test("a run refuses to append unkeyed records to a keyed log, and the other way round, saying which")
    func oneModePerLog() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let keyed = try await #require(try Self.exec(dir, extra: ["RUNBOOK_AUDIT_KEY": "fixture-audit-key-not-a-secret"]))
        #expect(keyed.status == 0)
        let unkeyed = try await #require(try Self.exec(dir))
        #expect(unkeyed.status != 0)
        #expect(unkeyed.stderr.contains("is HMAC-signed but RUNBOOK_AUDIT_KEY is not set"))
        #expect(!unkeyed.stderr.contains("fixture-audit-key"))
        let verify = try #require(try await RunbookBinary.run(["audit", "verify", "--log", dir.file("audit.jsonl")],
                                                        environment: ["PATH": "/usr/bin:/bin", "RUNBOOK_AUDIT_KEY": "fixture-audit-key-not-a-secret"]))
        #expect(verify.status == 0, "\(verify.stderr)")

        let other = TempDir()
        defer { other.cleanup() }
        await #expect(try #require(try Self.exec(other)).status == 0)
        let nowKeyed = try await #require(try Self.exec(other, extra: ["RUNBOOK_AUDIT_KEY": "fixture-audit-key-not-a-secret"]))
        #expect(nowKeyed.status != 0)
        #expect(nowKeyed.stderr.contains("is not keyed (sha256) but RUNBOOK_AUDIT_KEY is set"))
    }
}
