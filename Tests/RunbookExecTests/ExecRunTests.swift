import RunbookCore
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import RunbookExec
@testable import AuditTrail
#if canImport(Glibc)
import Glibc
#endif

@Suite("Exec: plan, bind, gate, run")
struct ExecRunTests {
    @Test func dryRunShowsThePlanAndSendsNothing() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        let executor = FakeExecutor()
        let code = try await execFixture(.make("incident-response#api-down", env: "test", dryRun: true), dir: dir, executor: executor, capture: capture)
        #expect(code == 0)
        #expect(executor.actions.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.file("audit.jsonl")), "a dry run records nothing")
        let text = capture.stdout
        #expect(text.contains("plan: incident-response#api-down"))
        #expect(text.contains("3. redeploy  [act]  timeout 15m  CHANGES STATE"))
        #expect(text.contains("asks: step redeploy changes test: run it? [y/N]"))
        #expect(text.contains("cluster mindhit-cluster (env production) retargeted to test-cluster (env test)"))
        #expect(text.contains("5. rollback  [act]  timeout 15m  if=failed:health-after  CHANGES STATE"))
        #expect(text.contains("url=http://127.0.0.1:18080/health"))
        #expect(!text.contains("api.staging.mindhit.io"), "endpoints come from the chosen environment")
    }

    @Test func dryRunJSON() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        _ = try await execFixture(.make("incident-response#api-down", env: "production", dryRun: true, json: true), dir: dir, capture: capture)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(capture.stdout.utf8)) as? [String: Any])
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == ["health-before", "tasks", "redeploy", "health-after", "rollback"])
        #expect(steps[2]["asks"] as? String == "step redeploy changes production (protected): type the service name (mindhit-api) to run it:")
        let redeploy = try #require(steps[2]["commands"] as? [[String: Any]])
        #expect(redeploy.first?["action"] as? String == "ecs.update-service.force-new-deployment")
        #expect((redeploy.first?["args"] as? [String: String])?["cluster"] == "mindhit-cluster")
        #expect(redeploy.first?["changes_state"] as? Bool == true)
    }

    @Test func unknownTargetIsABindError() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        await #expect(throws: ExecError.self) {
            _ = try await execFixture(.make("incident-response#wrong-target", env: "test", dryRun: true), dir: dir)
        }
        do {
            _ = try await execFixture(.make("incident-response#wrong-target", env: "test", dryRun: true), dir: dir)
        } catch {
            #expect(error.kind == .bind)
            #expect(error.description.contains("cluster 'someone-elses-cluster' is written in the doc, but env test uses 'test-cluster'"))
        }
    }

    @Test func shellTextNamingAnotherEnvironmentsTargetIsABindError() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        do {
            _ = try await execFixture(.make("incident-response#shell-wrong-target", env: "test", dryRun: true), dir: dir)
            Issue.record("expected a bind error")
        } catch {
            #expect(error.kind == .bind)
            #expect(error.lines == [
                "docs/operations/incident-response.md:59: step 'shell-literal': shell text names cluster 'mindhit-cluster' of env production, but env test uses 'test-cluster'; bash would run it as written, so write ${CLUSTER}",
                "docs/operations/incident-response.md:59: step 'shell-literal': shell text names service 'mindhit-api' of env production, but env test uses 'test-api'; bash would run it as written, so write ${SERVICE}",
            ])
        }
        // The same literal is the chosen environment's own value on staging: fine.
        #expect(try await execFixture(.make("incident-response#shell-wrong-target", env: "staging", dryRun: true), dir: dir) == 0)
        #expect(try await execFixture(.make("incident-response#memory", env: "test", dryRun: true), dir: dir) == 0)
    }

    @Test func unresolvedParametersAreAllNamedBeforeAnyStep() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        do {
            _ = try await execFixture(.make("drills#secrets", yes: true), dir: dir)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .bind)
            #expect(error.description.contains("unresolved parameters: API_TOKEN (step leak); DB_PASSWORD (step leak)"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("audit.jsonl")))
    }

    @Test func noTerminalAndNoYesRefusesBeforeAnything() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let executor = FakeExecutor()
        do {
            _ = try await execFixture(.make("incident-response#api-down"), dir: dir, executor: executor)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.exitCode == 2)
            #expect(error.description.contains("step 'redeploy' changes state and needs confirmation"))
        }
        #expect(executor.actions.isEmpty, "nothing ran, not even read-only steps")
        let records = auditRecords(dir.file("audit.jsonl"))
        #expect(records.map(\.event) == [.refused])
        #expect(records.first?.reason?.contains("no terminal") == true)
    }

    @Test func secondRunIsLockedOut() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let held = try RunLock(directory: dir.file("state/locks"), environment: "test", service: "test-api", run: "other-run", time: "2026-11-27T05:00:00Z")
        do {
            _ = try await execFixture(.make("drills#shell", yes: true, sets: [("MARKER_FILE", dir.file("m"))]), dir: dir)
            Issue.record("expected the lock to refuse")
        } catch {
            #expect(error.kind == .locked)
            #expect(error.description.contains("already running (pid \(getpid()), since 2026-11-27T05:00:00Z, run other-run)"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("m")))
        #expect(auditRecords(dir.file("audit.jsonl")).map(\.event) == [.refused])
        withExtendedLifetime(held) {}
    }

    @Test func staleLockIsTakenOver() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        // A pid that is certainly gone: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let deadPID = child.processIdentifier
        try FileManager.default.createDirectory(atPath: dir.file("state/locks"), withIntermediateDirectories: true)
        try Data("{\"pid\":\(deadPID),\"since\":\"2026-11-26T01:00:00Z\"}".utf8).write(to: URL(fileURLWithPath: dir.file("state/locks/test--test-api.lock")))
        let capture = Capture()
        let code = try await execFixture(.make("drills#shell", yes: true, sets: [("MARKER_FILE", dir.file("m"))]), dir: dir, capture: capture)
        #expect(code == 0)
        #expect(capture.stderr.contains("took over a stale lock left by pid \(deadPID) (since 2026-11-26T01:00:00Z)"))
        #expect(FileManager.default.contents(atPath: dir.file("m")).map { String(decoding: $0, as: UTF8.self) } == "changed\n")
    }

    @Test func shellStepsStreamWithPrefixAndAreRecorded() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        let code = try await execFixture(.make("drills#shell", yes: true, sets: [("MARKER_FILE", dir.file("m"))]), dir: dir, capture: capture)
        #expect(code == 0)
        #expect(capture.stdout.contains("[hello] hello from test-api\n"))
        #expect(capture.stderr.contains("[hello] to stderr\n"))
        #expect(capture.stdout.contains("[after] changed\n"))
        let records = auditRecords(dir.file("audit.jsonl"))
        #expect(records.map(\.event) == [.runStart, .stepStart, .stepEnd, .stepStart, .stepEnd, .stepStart, .stepEnd, .runEnd])
        let hello = try #require(records.first { $0.event == .stepEnd && $0.step == "hello" })
        #expect(hello.outputExcerpt == "hello from test-api\nto stderr\n")
        #expect(hello.outputSHA256 == sha256Hex(Data("hello from test-api\nto stderr\n".utf8)))
        #expect(records.last?.status == "ok")
        #expect(records.last?.chainHead == records.last?.prev, "run-end carries the chain head of every record before it")
        #expect(try AuditVerifier(key: nil).verify(path: dir.file("audit.jsonl")).isValid)
    }

    @Test func conditionsFollowOutcomes() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        let code = try await execFixture(.make("drills#conditions", yes: true), dir: dir, capture: capture)
        #expect(code == 1, "a failed step makes the run fail, even when a recovery step ran")
        let ends = auditRecords(dir.file("audit.jsonl")).filter { $0.event == .stepEnd }
        #expect(ends.map { "\($0.step ?? ""):\($0.status ?? "")" } == ["probe:failed", "recover:ok", "celebrate:skipped"])
        #expect(ends.first?.exitStatus == 3)
        #expect(capture.stdout.contains("[recover] recovering after probe failed"))
        #expect(!capture.stdout.contains("probe was fine"))
    }

    @Test func onlyAndFromSelectSteps() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        let code = try await execFixture(.make("drills#shell", yes: true, sets: [("MARKER_FILE", dir.file("m"))], from: "change"), dir: dir, capture: capture)
        #expect(code == 0)
        #expect(!capture.stdout.contains("[hello]"))
        let dir2 = TempDir()
        defer { dir2.cleanup() }
        let capture2 = Capture()
        _ = try await execFixture(.make("drills#conditions", yes: true, only: ["recover"]), dir: dir2, capture: capture2)
        #expect(capture2.stdout.contains("[recover] recovering"), "--only runs a conditioned step whose condition refers outside the run")
        do {
            _ = try await execFixture(.make("drills#shell", yes: true, only: ["nope"]), dir: dir2)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalid)
            #expect(error.description.contains("has no step 'nope'; its steps: hello, change, after"))
        }
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        let code = try await execFixture(.make("drills#slow", yes: true, sets: [("PID_FILE", dir.file("pid"))]), dir: dir, capture: capture)
        #expect(code == 1)
        let end = try #require(auditRecords(dir.file("audit.jsonl")).first { $0.event == .stepEnd && $0.step == "sleeper" })
        #expect(end.status == "timeout")
        let pidText = try String(contentsOfFile: dir.file("pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(pid_t(pidText))
        // The background `sleep 300` was in the step's process group: it must be gone.
        #expect(await WaitFor.exit(of: pid, timeout: 5), "the step's background child survived the timeout")
    }

    @Test func cancellingTheRunKillsTheStepAndEndsTheRunAsInterrupted() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        let (hanging, hangingNow) = AsyncStream<Void>.makeStream()
        capture.onWrite = { text in if text.contains("hanging now") { hangingNow.yield() } }
        let run = Task {
            defer { hangingNow.finish() }
            return try await execFixture(.make("drills#hang", yes: true, sets: [("PID_FILE", dir.file("pid"))]), dir: dir, capture: capture)
        }
        for await _ in hanging { break }
        run.cancel()
        #expect(try await run.value == 1)
        let records = auditRecords(dir.file("audit.jsonl"))
        let end = try #require(records.first { $0.event == .stepEnd && $0.step == "hang" })
        #expect(end.status == "interrupted")
        #expect(end.reason == "cancelled; its process group was killed")
        #expect(records.last?.event == .runEnd)
        #expect(records.last?.status == "interrupted")
        // bash led the step's process group; the runner reaped it before the run returned.
        let pid = try #require(pid_t(try String(contentsOfFile: dir.file("pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0 && errno == ESRCH, "the step's bash outlived the cancelled run")
    }

    @Test func ctrlCStopsTheStepAndEndsTheRun() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        let interrupt = InterruptFlag()
        capture.onWrite = { text in if text.contains("hanging now") { interrupt.set() } }
        let code = try await execFixture(.make("drills#hang", yes: true, sets: [("PID_FILE", dir.file("pid"))]), dir: dir, capture: capture, interrupt: interrupt)
        #expect(code == 1)
        let records = auditRecords(dir.file("audit.jsonl"))
        #expect(records.first { $0.event == .stepEnd && $0.step == "hang" }?.status == "interrupted")
        #expect(records.last?.event == .runEnd)
        #expect(records.last?.status == "interrupted")
    }

    @Test func nativeStepsGoThroughTheExecutorWithEnvTargets() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let executor = FakeExecutor()
        executor.results["http.health"] = [NativeActionResult(succeeded: false, message: "HTTP 503"), NativeActionResult(succeeded: false, message: "HTTP 503")]
        executor.results["ecs.update-service.force-new-deployment"] = [
            NativeActionResult(succeeded: true, before: ["task_definition": "test-api:7"], after: ["task_definition": "test-api:7", "deployment": "ecs-svc/1"]),
        ]
        let code = try await execFixture(.make("incident-response#api-down", yes: true), dir: dir, executor: executor)
        #expect(code == 1)
        #expect(executor.actions.map(\.name) == ["http.health"], "a failed first step stops the run; rollback waits for health-after")
        let dir2 = TempDir()
        defer { dir2.cleanup() }
        let executor2 = FakeExecutor()
        executor2.results = executor.results
        executor2.results["http.health"] = [NativeActionResult(succeeded: true), NativeActionResult(succeeded: false, message: "HTTP 503")]
        let code2 = try await execFixture(.make("incident-response#api-down", yes: true), dir: dir2, executor: executor2)
        #expect(code2 == 1)
        #expect(executor2.actions.map(\.name) == ["http.health", "ecs.describe-tasks", "logs.tail", "ecs.update-service.force-new-deployment",
                                                   "ecs.wait.services-stable", "http.health", "ecs.rollback"])
        #expect(executor2.actions[3] == .ecsForceNewDeployment(cluster: "test-cluster", service: "test-api", aws: AWSOptions(region: "us-east-1")))
        #expect(executor2.actions[1] == .ecsDescribeTasks(cluster: "test-cluster", tasks: ["task-0001"], aws: AWSOptions(region: "us-east-1")))
        let redeploy = try #require(auditRecords(dir2.file("audit.jsonl")).first { $0.event == .stepEnd && $0.step == "redeploy" })
        #expect(redeploy.before == ["task_definition": "test-api:7"])
        #expect(redeploy.after?["deployment"] == "ecs-svc/1")
        let start = try #require(auditRecords(dir2.file("audit.jsonl")).first { $0.event == .stepStart && $0.step == "redeploy" })
        #expect(start.actions?.first?.args == ["cluster": "test-cluster", "service": "test-api", "region": "us-east-1"])
        #expect(start.operator?.awsARN == "arn:aws:iam::123456789012:user/oncall")
    }

    @Test func secretsComeFromTheVariableTheEnvironmentNames() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        do {
            _ = try await execFixture(.make("drills#database", yes: true), dir: dir)
            Issue.record("expected a bind error")
        } catch {
            #expect(error.lines == ["parameter 'DATABASE_URL': env test takes it from $FIXTURE_DATABASE_URL (database_url_env in \(Fixture.projectConfig)), which is not set"])
        }
        let dry = Capture()
        #expect(try await execFixture(.make("drills#database", dryRun: true), dir: dir, capture: dry) == 0)
        #expect(dry.stdout.contains("DATABASE_URL  = ?  (resolved at run time: $FIXTURE_DATABASE_URL, named by database_url_env"))
        let capture = Capture()
        let url = "postgres://app:pg-canary-pass@127.0.0.1:5432/app"
        let code = try await execFixture(.make("drills#database", yes: true), dir: dir, environment: ["FIXTURE_DATABASE_URL": url], capture: capture)
        #expect(code == 0)
        #expect(capture.stdout.contains("[db-url] connecting to [redacted]"))
        let log = try String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8)
        #expect(!log.contains("pg-canary-pass") && !capture.stdout.contains("pg-canary-pass"))
    }

    @Test func forceReachesNativeActions() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let executor = FakeExecutor()
        var request = ExecRequest.make("incident-response#api-down", yes: true, only: ["redeploy"])
        request.force = true
        #expect(try await execFixture(request, dir: dir, executor: executor) == 0)
        #expect(executor.forceFlags == [true, true])
        let plain = FakeExecutor()
        _ = try await execFixture(.make("incident-response#api-down", yes: true, only: ["redeploy"]), dir: dir, executor: plain)
        #expect(plain.forceFlags == [false, false])
    }

    @Test func wrongAWSAccountRefuses() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let executor = FakeExecutor()
        executor.identity = CallerIdentity(account: "999999999999", arn: "arn:aws:iam::999999999999:user/x")
        do {
            _ = try await execFixture(.make("incident-response#api-down", yes: true), dir: dir, executor: executor)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.description.contains("account 999999999999"))
        }
        #expect(executor.actions.isEmpty)
    }

    @Test func protectedEnvironmentAsksForTheServiceName() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        final class Recorder: ConfirmationPrompter, Sendable {
            private let questions = Mutex<[(String, String?)]>([])
            var asked: [(String, String?)] { questions.withLock { $0 } }
            var isInteractive: Bool { true }
            func confirm(_ question: String, expected: String?) async -> Bool {
                questions.withLock { $0.append((question, expected)) }
                return false
            }
        }
        let prompter = Recorder()
        let executor = FakeExecutor()
        executor.identity = CallerIdentity(account: "210987654321", arn: "arn:aws:iam::210987654321:user/oncall")
        let code = try await execFixture(.make("incident-response#api-down", env: "production"), dir: dir, executor: executor, prompter: prompter)
        #expect(code == 2, "declining ends the run as refused")
        #expect(prompter.asked.first?.1 == "mindhit-api")
        #expect(executor.actions.map(\.name) == ["http.health", "ecs.describe-tasks", "logs.tail"], "nothing after the declined step ran")
    }
}
