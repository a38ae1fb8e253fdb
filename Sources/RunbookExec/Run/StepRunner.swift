import RunbookCore
import Foundation

/// Runs one step: its commands in order, each in bash or as a native action, within the step's
/// timeout; streams their (redacted) output with the step's prefix and keeps it for the audit log.
/// The first command that does not succeed ends the step.
struct StepRunner: Sendable {
    let environment: EnvironmentConfig
    /// Where commands run: the project root.
    let workingDirectory: String
    /// The run's process environment (native actions read e.g. `redis_password_env` from it).
    let processEnvironment: [String: String]
    /// What bash gets: the process environment, the plan's variables and `RUNBOOK_YES`.
    let childEnvironment: [String: String]
    let force: Bool
    let executor: any NativeActionExecutor
    let interrupt: InterruptFlag
    let reporter: RunReporter
    let redactor: Redactor
    /// The run's lock, inherited by every shell step's processes (see `RunLock`).
    var lockDescriptor: Int32?

    init(request: ExecRequest, bound: BoundPlan, world: ExecWorld, workingDirectory: String, lockDescriptor: Int32? = nil) {
        self.lockDescriptor = lockDescriptor
        environment = bound.environment
        self.workingDirectory = workingDirectory
        processEnvironment = world.processEnvironment
        var child = world.processEnvironment.merging(bound.shellEnvironment) { _, new in new }
        child["RUNBOOK_AUDIT_KEY"] = nil
        // `--yes` reaches the scripts a step calls (e.g. a restore that would overwrite a
        // non-empty database); one inherited from the operator's shell never counts as consent.
        child["RUNBOOK_YES"] = request.yes ? "1" : nil
        childEnvironment = child
        force = request.force
        executor = world.executor
        interrupt = world.interrupt
        reporter = world.reporter
        redactor = bound.redactor
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    func run(_ step: BoundStep) async -> StepOutcome {
        var outcome = StepOutcome()
        let started = Self.now()
        let timeout = step.plan.step.timeoutSeconds
        let deadline = started + Double(timeout)
        for command in step.commands {
            let remaining = deadline - Self.now()
            guard remaining > 0 else {
                outcome.status = .timeout
                outcome.message = "timed out after \(DurationText.format(seconds: timeout))"
                break
            }
            switch command.action {
            case .shell(let script, _):
                await runShell(script, line: command.planned.line, step: step, remaining: remaining, into: &outcome)
            case .native(let action):
                let result = await runNative(action, step: step.id, deadline: deadline, capture: outcome.capture)
                outcome.status = result.status
                outcome.message = result.message
                if let b = result.before { outcome.before = (outcome.before ?? [:]).merging(b) { _, new in new } }
                if let a = result.after { outcome.after = (outcome.after ?? [:]).merging(a) { _, new in new } }
                outcome.exit = result.status == .ok ? 0 : 1
            }
            if outcome.status != .ok { break }
        }
        outcome.durationMS = Int((Self.now() - started) * 1000)
        return outcome
    }

    /// Prints and keeps one line of the step's output: redacted, and with control and bidi
    /// characters spelled out, so output (a log line someone else wrote) cannot move the cursor
    /// over what the run shows or reorder it, on the terminal or in the audit log.
    func output(step: String, capture: OutputCapture) -> @Sendable (String, Bool) -> Void {
        let redactor = self.redactor
        let reporter = self.reporter
        return { line, isError in
            let clean = VisibleText.escaped(redactor.redact(line))
            capture.add(clean)
            reporter.line(step, clean, stderr: isError)
        }
    }

    private func runShell(_ script: String, line: Int, step: BoundStep, remaining: Double, into outcome: inout StepOutcome) async {
        let timeout = step.plan.step.timeoutSeconds
        let output = self.output(step: step.id, capture: outcome.capture)
        do {
            let r = try await ShellProcess.run(script: script, environment: childEnvironment, workingDirectory: workingDirectory,
                                               timeoutSeconds: remaining, interrupt: interrupt, inherit: lockDescriptor, onLine: output)
            outcome.exit = r.code
            if r.interrupted {
                outcome.status = .interrupted
                outcome.message = "stopped by Ctrl-C; its process group was killed"
            } else if r.cancelled {
                outcome.status = .interrupted
                outcome.message = "cancelled; its process group was killed"
            } else if r.timedOut {
                outcome.status = .timeout
                outcome.message = "timed out after \(DurationText.format(seconds: timeout)); its process group was killed"
            } else if !r.succeeded {
                outcome.status = .failed
                outcome.message = r.signal.map { "bash was killed by signal \($0)" } ?? "bash exited with status \(r.code) (commands from line \(line))"
            }
        } catch is CancellationError {
            outcome.status = .interrupted
            outcome.message = "cancelled before it started"
        } catch {
            outcome.status = .failed
            outcome.message = "\(error)"
        }
    }
}
