import Foundation
import Testing
import TestSupport
import AuditTrail
#if canImport(Glibc)
import Glibc
#endif

/// End-to-end checks that run the real `runbook` binary (`.build/debug/runbook`).
@Suite("runbook exec and audit (CLI)")
struct CLITests {
    struct Output {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    static func environment(_ dir: TempDir, _ extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": dir.path, "RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"),
                   "RUNBOOK_STATE_DIR": dir.file("state")]
        env.merge(extra) { _, new in new }
        return env
    }

    /// Starts `runbook ARGS` with exactly `env`, stdin from /dev/null (no terminal).
    static func start(_ args: [String], env: [String: String]) throws -> RunningProcess {
        try ProcessRunner.start(Fixture.binary, args, environment: env, inheritEnvironment: false)
    }

    /// Runs `runbook ARGS` to its end, waiting off the cooperative pool.
    static func run(_ args: [String], env: [String: String]) async throws -> Output {
        let r = try await ProcessRunner.run(Fixture.binary, args, environment: env, inheritEnvironment: false)
        return Output(code: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    @Test func binaryIsBuilt() async {
        #expect(FileManager.default.isExecutableFile(atPath: Fixture.binary), "build first: swift build (\(Fixture.binary))")
    }

    @Test func killDashNineLeavesEarlierRecordsAndVerifyReportsInterrupted() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let env = Self.environment(dir)
        let config = ["--config", Fixture.projectConfig]
        let runner = try Self.start(["exec", "drills#hang", "--env", "test", "--yes", "--set", "PID_FILE=\(dir.file("pid"))"] + config, env: env)
        // The step wrote its pid before it printed this, and its step-start record is in the log.
        let hanging = await WaitFor.file(runner.stdoutPath, timeout: 60) { $0?.contains("[hang] hanging now") == true }
        #expect(hanging)
        let before = try String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8)

        // A second run for the same env and service is refused while the first holds the lock.
        let second = try await Self.run(["exec", "drills#hang", "--env", "test", "--yes", "--only", "first", "--set", "PID_FILE=\(dir.file("pid2"))"] + config, env: env)
        #expect(second.code == 2)
        #expect(second.stderr.contains("already running (pid \(runner.pid), since "))

        runner.signal(SIGKILL)
        _ = try await runner.finish()
        defer { Self.killStepGroup(pidFile: dir.file("pid")) }
        // Bash dies with its runner (parent-death signal); what it started may linger.
        let stepPID = pid_t((try? String(contentsOfFile: dir.file("pid"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(stepPID > 1)
        let bashGone = await WaitFor.state(timeout: 10) { kill(stepPID, 0) != 0 }
        #expect(bashGone, "the step's bash died with the runner")
        let after = try String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8)
        #expect(after.hasPrefix(before.components(separatedBy: "\n").dropLast().joined(separator: "\n")), "earlier records are intact")
        let verify = try await Self.run(["audit", "verify", "--log", dir.file("audit.jsonl")], env: env)
        #expect(verify.code == 0)
        #expect(verify.stderr.contains("has no run-end record: interrupted after step-start hang"))
        #expect(verify.stdout.contains("OK, "))

        let third = try await Self.run(["exec", "drills#hang", "--env", "test", "--yes", "--only", "first", "--set", "PID_FILE=\(dir.file("pid2"))"] + config, env: env)
        #expect(third.code == 0, "\(third.stderr)")
        #expect(third.stderr.contains("took over a stale lock left by pid \(runner.pid)"))
        let show = try await Self.run(["audit", "show", "--last", "3"], env: env)
        #expect(show.stdout.contains("INTERRUPTED (no run-end record)"))
        #expect(show.stdout.contains("hang  started, never ended (interrupted)"))
    }

    @Test("SIGTERM or SIGHUP mid-step: the step's processes are stopped, step-end and run-end are recorded, the log verifies",
          arguments: [SIGTERM, SIGHUP])
    func stopSignalsEndTheRunCleanly(_ sig: Int32) async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let env = Self.environment(dir)
        let runner = try Self.start(["exec", "drills#hang", "--env", "test", "--yes", "--set", "PID_FILE=\(dir.file("pid"))",
                                     "--config", Fixture.projectConfig], env: env)
        let hanging = await WaitFor.file(runner.stdoutPath, timeout: 60) { $0?.contains("[hang] hanging now") == true }
        #expect(hanging)
        defer { Self.killStepGroup(pidFile: dir.file("pid")) }
        runner.signal(sig)
        let ended = try await runner.finish()
        #expect(ended.status == 1, "an interrupted run is a failed run, not a crash: \(ended.stderr)")
        let stepPID = pid_t((try? String(contentsOfFile: dir.file("pid"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(stepPID > 1)
        let gone = await WaitFor.state(timeout: 10) { kill(stepPID, 0) != 0 && errno == ESRCH }
        #expect(gone, "the step's process was stopped with the run")
        let records = auditRecords(dir.file("audit.jsonl"))
        #expect(records.contains { $0.event == .stepEnd && $0.step == "hang" && $0.status == "interrupted" })
        #expect(records.last?.event == .runEnd)
        let verify = try await Self.run(["audit", "verify", "--log", dir.file("audit.jsonl")], env: env)
        #expect(verify.code == 0)
        #expect(!verify.stderr.contains("has no run-end record"))
    }

    @Test("after kill -9 of the runner, a process its step left behind keeps the lock: no new run overlaps with it")
    func leftoverProcessKeepsTheLock() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let env = Self.environment(dir)
        let config = ["--config", Fixture.projectConfig]
        let runner = try Self.start(["exec", "drills#linger", "--env", "test", "--yes", "--set", "PID_FILE=\(dir.file("pid"))"] + config, env: env)
        let spawned = await WaitFor.file(runner.stdoutPath, timeout: 60) { $0?.contains("[spawn] spawned") == true }
        #expect(spawned)
        defer { Self.killStepGroup(pidFile: dir.file("pid")) }
        runner.signal(SIGKILL)
        _ = try await runner.finish()
        let leftover = pid_t((try? String(contentsOfFile: dir.file("pid"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(leftover > 1 && kill(leftover, 0) == 0, "the background sleep outlived its runner")

        let overlapping = try await Self.run(["exec", "drills#hang", "--env", "test", "--yes", "--only", "first", "--set", "PID_FILE=\(dir.file("pid2"))"] + config, env: env)
        #expect(overlapping.code == 2)
        #expect(overlapping.stderr.contains("its runner (pid \(runner.pid)"), "\(overlapping.stderr)")
        #expect(overlapping.stderr.contains("still holds the lock"))

        kill(leftover, SIGKILL)
        let released = await WaitFor.state(timeout: 10) { kill(leftover, 0) != 0 }
        #expect(released)
        let next = try await Self.run(["exec", "drills#hang", "--env", "test", "--yes", "--only", "first", "--set", "PID_FILE=\(dir.file("pid2"))"] + config, env: env)
        #expect(next.code == 0, "\(next.stderr)")
        #expect(next.stderr.contains("took over a stale lock left by pid \(runner.pid)"))
    }

    /// Kills the process group of the step the killed runner left behind (bash wrote its pid).
    static func killStepGroup(pidFile: String) {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return }
        kill(-pid, SIGKILL)
    }

    /// Runs the binary on a real pseudo-terminal (util-linux `script`), typing `answer`.
    static func runOnTTY(_ args: [String], answer: String, env: [String: String]) async throws -> Output {
        let r = try await ProcessRunner.run("/usr/bin/script", ["-qec", ([Fixture.binary] + args).joined(separator: " "), "/dev/null"],
                                            environment: env, input: Data((answer + "\n").utf8), inheritEnvironment: false)
        return Output(code: r.status, stdout: r.stdout, stderr: "")
    }

    @Test func terminalAsksAndProtectedEnvironmentWantsTheServiceName() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let env = Self.environment(dir)
        let base = ["exec", "drills#shell", "--config", Fixture.projectConfig]
        let yes = try await Self.runOnTTY(base + ["--env", "test", "--set", "MARKER_FILE=\(dir.file("m1"))"], answer: "y", env: env)
        #expect(yes.code == 0)
        #expect(yes.stdout.contains("step change changes test: run it? [y/N]"))
        #expect(FileManager.default.fileExists(atPath: dir.file("m1")))

        let wrong = try await Self.runOnTTY(base + ["--env", "production", "--set", "MARKER_FILE=\(dir.file("m2"))"], answer: "y", env: env)
        #expect(wrong.code == 2)
        #expect(wrong.stdout.contains("type the service name (mindhit-api) to run it:"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("m2")), "'y' is not the service name")

        let right = try await Self.runOnTTY(base + ["--env", "production", "--set", "MARKER_FILE=\(dir.file("m3"))"], answer: "mindhit-api", env: env)
        #expect(right.code == 0)
        #expect(FileManager.default.fileExists(atPath: dir.file("m3")))
        let ends = auditRecords(dir.file("audit.jsonl")).filter { $0.event == .runEnd }.map(\.status)
        #expect(ends == ["ok", "declined", "ok"])
    }

    @Test func noTerminalWithoutYesRefusesWithExitTwo() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let env = Self.environment(dir)
        let out = try await Self.run(["exec", "drills#shell", "--env", "test", "--set", "MARKER_FILE=\(dir.file("m"))", "--config", Fixture.projectConfig], env: env)
        #expect(out.code == 2)
        #expect(out.stderr.contains("needs confirmation, but there is no terminal to ask; nothing was run"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("m")))
        let show = try await Self.run(["audit", "show"], env: env)
        #expect(show.stdout.contains("refused: step 'change' changes state"))
    }

    @Test func secretsNeverReachOutputOrAuditLog() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let canaries = [
            "token": "canary-api-token-7f3a9c",
            "db": "canary-db-pass-51be02",
            "aws": "canarySecretKey/EXAMPLEKEY+0123456789abcdefAB",
            "hook": "https://hooks.slack.com/services/T0000/B0000/canaryhook0123",
            "keyid": "AKIAIOSFODNN7CANARY1",
            "audit": "canary-audit-key-9d8e",
        ]
        let env = Self.environment(dir, [
            "AWS_SECRET_ACCESS_KEY": canaries["aws"] ?? "", "FIXTURE_SLACK_WEBHOOK": canaries["hook"] ?? "",
            "AWS_ACCESS_KEY_ID": canaries["keyid"] ?? "", "RUNBOOK_AUDIT_KEY": canaries["audit"] ?? "",
        ])
        let args = ["exec", "drills#secrets", "--env", "test", "--yes", "--config", Fixture.projectConfig,
                    "--set", "API_TOKEN=\(canaries["token"] ?? "")", "--set", "DB_PASSWORD=\(canaries["db"] ?? "")"]
        let dry = try await Self.run(args + ["--dry-run"], env: env)
        let real = try await Self.run(args, env: env)
        let json = try await Self.run(args + ["--json"], env: env)
        #expect(real.code == 0)
        #expect(real.stdout.contains("[leak] token is [redacted]"))
        #expect(real.stderr.contains("[leak] key is [redacted]"))
        #expect(json.stdout.contains("\"event\":\"step-end\""))
        let audit = try String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8)
        for (name, canary) in canaries {
            for (place, text) in [("dry-run stdout", dry.stdout), ("dry-run stderr", dry.stderr), ("stdout", real.stdout), ("stderr", real.stderr),
                                  ("json stdout", json.stdout), ("json stderr", json.stderr), ("audit log", audit)] {
                #expect(!text.contains(canary), "the \(name) canary reached the \(place)")
            }
        }
        let verify = try await Self.run(["audit", "verify", "--log", dir.file("audit.jsonl")], env: env)
        #expect(verify.code == 0, "HMAC-chained log verifies with the key")
        var withoutKey = env
        withoutKey["RUNBOOK_AUDIT_KEY"] = nil
        #expect(try await Self.run(["audit", "verify", "--log", dir.file("audit.jsonl")], env: withoutKey).code == 1)
    }

    @Test func auditVerifyNamesTheFirstBadLine() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let env = Self.environment(dir)
        let ok = try await Self.run(["exec", "drills#conditions", "--env", "test", "--yes", "--config", Fixture.projectConfig], env: env)
        #expect(ok.code == 1)
        #expect(try await Self.run(["audit", "verify"], env: env).code == 0)
        var lines = try String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8).components(separatedBy: "\n")
        lines[2] = lines[2].replacingOccurrences(of: "\"status\":\"failed\"", with: "\"status\":\"ok\"")
        try lines.joined(separator: "\n").write(toFile: dir.file("audit.jsonl"), atomically: true, encoding: .utf8)
        let bad = try await Self.run(["audit", "verify"], env: env)
        #expect(bad.code == 1)
        #expect(bad.stderr.contains("audit.jsonl:3: the record was edited"))
    }
}
