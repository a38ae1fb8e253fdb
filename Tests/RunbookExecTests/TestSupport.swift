import RunbookCore
import Foundation
import Synchronization
import TestSupport
@testable import RunbookExec
@testable import AuditTrail

enum Fixture {
    /// The fixture project (runbook.toml + docs/operations) inside the test bundle.
    static var projectConfig: String {
        Bundle.module.url(forResource: "Fixtures/project/runbook", withExtension: "toml")?.path ?? "missing-fixture/runbook.toml"
    }

    static func docSet() throws -> DocSet {
        CommonMarkConverter.registerExtensions()
        return try DocSet.load(configPath: projectConfig)
    }

    /// The package root.
    static var packageRoot: URL { RunbookExecutable.packageRoot }
}

/// Collects what a run prints.
final class Capture: Sendable {
    private struct Printed {
        var out = ""
        var err = ""
        var onWrite: (@Sendable (String) -> Void)?
    }

    private let printed = Mutex(Printed())

    var stdout: String { printed.withLock { $0.out } }
    var stderr: String { printed.withLock { $0.err } }
    /// Called with each piece of text written (after it is collected).
    var onWrite: (@Sendable (String) -> Void)? {
        get { printed.withLock { $0.onWrite } }
        set { printed.withLock { $0.onWrite = newValue } }
    }

    func reporter(json: Bool = false) -> RunReporter {
        RunReporter(json: json) { [self] text, toStderr in
            let onWrite = printed.withLock { p in
                if toStderr { p.err += text } else { p.out += text }
                return p.onWrite
            }
            onWrite?(text)
        }
    }
}

/// A native executor that records what it was asked and answers from a script.
final class FakeExecutor: NativeActionExecutor, Sendable {
    private struct State {
        var log: [NativeAction] = []
        var forced: [Bool] = []
        var results: [String: [NativeActionResult]] = [:]
        var identity: CallerIdentity? = CallerIdentity(account: "123456789012", arn: "arn:aws:iam::123456789012:user/oncall")
    }

    private let state = Mutex(State())

    /// Results by action name, consumed in order (the last one repeats); default: success.
    var results: [String: [NativeActionResult]] {
        get { state.withLock { $0.results } }
        set { state.withLock { $0.results = newValue } }
    }
    var identity: CallerIdentity? {
        get { state.withLock { $0.identity } }
        set { state.withLock { $0.identity = newValue } }
    }

    var actions: [NativeAction] { state.withLock { $0.log } }
    /// `context.force` of each call, in order.
    var forceFlags: [Bool] { state.withLock { $0.forced } }

    func callerIdentity(environment: EnvironmentConfig) async throws -> CallerIdentity? { identity }

    func run(_ action: NativeAction, context: NativeActionContext) async throws -> NativeActionResult {
        let result: NativeActionResult = state.withLock { s in
            s.log.append(action)
            s.forced.append(context.force)
            guard var queue = s.results[action.name], let first = queue.first else { return NativeActionResult(succeeded: true) }
            if queue.count > 1 { queue.removeFirst() }
            s.results[action.name] = queue
            return first
        }
        context.output("\(action.name) ran")
        return result
    }
}

/// Runs `runbook exec` in-process against the fixture project.
func execFixture(_ request: ExecRequest, dir: TempDir, environment: [String: String] = [:], executor: FakeExecutor = FakeExecutor(),
                 prompter: any ConfirmationPrompter = ScriptedPrompter(isInteractive: false, answer: false),
                 capture: Capture = Capture(), interrupt: InterruptFlag = InterruptFlag()) async throws(ExecError) -> Int32 {
    var env = ["RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"), "RUNBOOK_STATE_DIR": dir.file("state"), "PATH": "/usr/bin:/bin", "HOME": dir.path]
    env.merge(environment) { _, new in new }
    let world = ExecWorld(processEnvironment: env, executor: executor, resolvers: [StaticParameterResolver(["task-id": "task-0001"])],
                          prompter: prompter, interrupt: interrupt, reporter: capture.reporter(json: request.json))
    let docSet: DocSet
    do {
        docSet = try Fixture.docSet()
    } catch {
        throw ExecError(.invalid, "fixture project: \(error)")
    }
    return try await RunbookRunner.exec(request, docSet: docSet, world: world)
}

/// The audit log's records, in order.
func auditRecords(_ path: String) -> [AuditRecord] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return Array(data).split(separator: UInt8(ascii: "\n")).compactMap { line in
        AuditChain.split(line: Array(line)).flatMap { try? JSONDecoder().decode(AuditRecord.self, from: Data($0.body)) }
    }
}

extension ExecRequest {
    static func make(_ target: String, env: String = "test", yes: Bool = false, dryRun: Bool = false, sets: [(String, String)] = [],
                     only: [String] = [], from: String? = nil, json: Bool = false) -> ExecRequest {
        var r = ExecRequest(target: target, environment: env)
        r.yes = yes
        r.dryRun = dryRun
        r.sets = sets.map { (name: $0.0, value: $0.1) }
        r.only = only
        r.from = from
        r.json = json
        return r
    }
}

/// A task source a dry run must never call (a dry run makes no network call).
struct DryRunTasksSource: RunningTasksSource {
    struct Called: Error, CustomStringConvertible {
        var description: String { "a dry run asked for the running tasks" }
    }

    func runningTasks(cluster: String, service: String, environment: EnvironmentConfig) async throws -> [String] {
        throw Called()
    }
}
