import RunbookCore
import Foundation
import Testing
import TestSupport
@testable import RunbookExec

/// The dry-run plan of the fixture's api-down section, per environment, against a reviewed
/// golden file. Re-record with RUNBOOK_RECORD_GOLDEN=1 and review the diff.
@Suite("Golden plans")
struct GoldenPlanTests {
    @Test(arguments: ["test", "production"])
    func apiDownPlan(env: String) async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        _ = try await execFixture(.make("incident-response#api-down", env: env, dryRun: true), dir: dir, capture: capture)
        let name = "api-down.\(env).plan.txt"
        let source = Fixture.packageRoot.appendingPathComponent("Tests/RunbookExecTests/Fixtures/golden/\(name)")
        if ProcessInfo.processInfo.environment["RUNBOOK_RECORD_GOLDEN"] == "1" {
            try Data(capture.stdout.utf8).write(to: source)
        }
        let golden = try String(contentsOf: source, encoding: .utf8)
        #expect(capture.stdout == golden)
    }

    /// The team's own api-down (docs/operations with the project's runbook.toml) on staging: the plan
    /// a senior SRE signs off. Re-record with RUNBOOK_RECORD_GOLDEN=1 and review the diff.
    @Test func teamApiDownStagingPlan() async throws {
        CommonMarkConverter.registerExtensions()
        let docSet = try DocSet.load(configPath: Fixture.packageRoot.appendingPathComponent("runbook.toml").path)
        let capture = Capture()
        let world = ExecWorld(processEnvironment: ["PATH": "/usr/bin:/bin"], executor: FakeExecutor(),
                              resolvers: [ServiceTasksResolver(source: DryRunTasksSource())],
                              prompter: ScriptedPrompter(isInteractive: false, answer: false), interrupt: InterruptFlag(),
                              reporter: capture.reporter())
        var request = ExecRequest(target: "incident-response#api-down", environment: "staging")
        request.dryRun = true
        let code = try await RunbookRunner.exec(request, docSet: docSet, world: world)
        #expect(code == 0)
        let source = Fixture.packageRoot.appendingPathComponent("Tests/RunbookExecTests/Fixtures/golden/team-api-down.staging.plan.txt")
        if ProcessInfo.processInfo.environment["RUNBOOK_RECORD_GOLDEN"] == "1" {
            try Data(capture.stdout.utf8).write(to: source)
        }
        let golden = try String(contentsOf: source, encoding: .utf8)
        #expect(capture.stdout == golden)
    }

    @Test func jsonRunPrintsOneEventPerLine() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let capture = Capture()
        _ = try await execFixture(.make("drills#conditions", yes: true, json: true), dir: dir, capture: capture)
        let lines = capture.stdout.split(separator: "\n")
        let events = try lines.map { line -> String in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["event"] as? String)
        }
        // The notices: probe's failure is handled by recover (if=failed:probe); no verify passes after it.
        #expect(events == ["plan", "run-start", "step-start", "output", "step-end", "notice", "step-start", "output", "step-end", "step-end",
                           "notice", "run-end"])
    }
}
