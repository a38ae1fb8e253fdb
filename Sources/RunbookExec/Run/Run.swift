import SystemIO
import AuditTrail
import RunbookCore
import Foundation

/// One run of a bound plan.
struct Run {
    let request: ExecRequest
    let docSet: DocSet
    let document: RunbookDocument
    let bound: BoundPlan
    let world: ExecWorld
    let runID = SystemInfo.runID()

    var env: EnvironmentConfig { bound.environment }
    var redactor: Redactor { bound.redactor }
    var reporter: RunReporter { world.reporter }

    func execute() async throws(ExecError) -> Int32 {
        let auditPath = AuditLog.defaultPath(environment: world.processEnvironment)
        let audit: AuditLog
        do {
            audit = try AuditLog(path: auditPath, key: world.processEnvironment["RUNBOOK_AUDIT_KEY"])
        } catch {
            throw ExecError(.invalid, "\(error)")
        }
        let provenance = DocProvenance.of(path: document.path, root: docSet.root)
        var op = AuditRecord.Operator(user: SystemInfo.userName(environment: world.processEnvironment), host: SystemInfo.hostName())
        audit.mirror = world.auditMirror?(env, op)
        defer { audit.mirror?.finish() }
        func record(_ event: AuditRecord.Event) -> AuditRecord {
            var r = AuditRecord(time: SystemInfo.timestamp(), event: event, run: runID)
            r.operator = op
            r.env = env.name
            r.doc = document.path
            r.docCommit = provenance.commit
            r.docSHA256 = provenance.sha256
            r.section = bound.section.sectionID
            return r
        }
        func refuse(_ kind: ExecError.Kind, _ message: String) throws(ExecError) -> Never {
            var r = record(.refused)
            r.reason = redactor.redact(message)
            r.status = RunStatus.refused.rawValue
            _ = try? audit.append(r)
            throw ExecError(kind, message)
        }

        // Gate: nothing runs unless every step that asks can be asked (or --yes).
        if !request.yes, !world.prompter.isInteractive, let first = bound.steps.first(where: { $0.plan.asks }) {
            try refuse(.refused, "step '\(first.id)' changes state and needs confirmation, but there is no terminal to ask; nothing was run. Run it on a terminal, or pass --yes after reading `runbook exec \(bound.section.target) --env \(env.name) --dry-run`")
        }

        let lock: RunLock
        do {
            lock = try RunLock(directory: AuditLog.stateDirectory(environment: world.processEnvironment) + "/locks", environment: env.name,
                               service: env.service ?? bound.section.target, run: runID, time: SystemInfo.timestamp())
        } catch {
            try refuse(error.kind, error.description)
        }
        if let stale = lock.tookOverFrom {
            reporter.notice("took over a stale lock left by pid \(stale.pid) (since \(stale.since)); that process is gone")
        }

        var accountNote: String?
        if bound.touchesAWS, let account = env.awsAccount {
            do {
                if let id = try await world.executor.callerIdentity(environment: env) {
                    op.awsARN = id.arn
                    if id.account != account {
                        try refuse(.refused, "the AWS credentials are for account \(id.account) (\(id.arn)), but env \(env.name) is account \(account); nothing was run")
                    }
                } else {
                    accountNote = "AWS account not confirmed: this build cannot call STS"
                    reporter.notice(accountNote ?? "")
                }
            } catch let e as ExecError {
                throw e
            } catch {
                try refuse(.refused, "cannot confirm the AWS account of env \(env.name) with STS: \(redactor.redact(String(describing: error)))")
            }
        }

        var start = record(.runStart)
        start.reason = accountNote
        start.actions = nil
        start.counts = ["steps": bound.steps.count]
        try append(start, to: audit)
        let runStarted = Self.now()
        reporter.runStart(run: runID, target: bound.section.target, env: env.name, steps: bound.steps.count)
        let who = op.awsARN.map { "\(op.user)@\(op.host) (\($0))" } ?? "\(op.user)@\(op.host)"
        let notices = RunNotices(environment: env, processEnvironment: world.processEnvironment,
                                 run: .init(id: runID, target: bound.section.target, environment: env.name, operatorName: who),
                                 reporter: reporter, redactor: redactor)
        await notices.started(steps: bound.steps.count)

        var statuses: [String: StepStatus] = [:]
        var anyFailed = false
        var unverified: String?
        var ending: RunStatus?
        let selected = Set(bound.steps.map(\.id))
        // A failed step that a later step of this run is conditioned on (`if=failed:STEP`) is a
        // result the doc handles, not a failed run: the run goes on, and its exit status depends
        // on the steps after it (api-down: a failing health check leads to the redeploy). The run
        // still fails unless a `verify` step passes after the handled failure.
        let handled = Set(bound.steps.compactMap { step in step.plan.step.condition }.filter { $0.outcome == .failed }.map(\.stepID))
            .intersection(selected)
        for (index, step) in bound.steps.enumerated() {
            let s = step.plan.step
            if world.interrupt.isSet {
                ending = .interrupted
                reporter.notice("interrupted before step \(s.id); the run ends here")
                break
            }
            var skipReason: String?
            var conditionOnFailure = false
            if s.skip {
                skipReason = "marked skip in the doc"
            } else if let c = s.condition {
                if !selected.contains(c.stepID) && request.only.contains(s.id) {
                    reporter.notice("step \(s.id): if=\(c) is not checked, because \(c.stepID) is not part of this run and --only names \(s.id)")
                } else if let status = statuses[c.stepID], status != .skipped {
                    let failed = status != .ok
                    conditionOnFailure = c.outcome == .failed && failed
                    if (c.outcome == .failed) != failed { skipReason = "if=\(c) does not hold (\(c.stepID): \(status.rawValue))" }
                } else {
                    skipReason = "if=\(c) does not hold (\(c.stepID) did not run)"
                }
            }
            if skipReason == nil, anyFailed, !conditionOnFailure { skipReason = "an earlier step failed" }
            if let why = skipReason {
                statuses[s.id] = .skipped
                var r = record(.stepEnd)
                r.step = s.id
                r.kind = s.kind.rawValue
                r.status = StepStatus.skipped.rawValue
                r.reason = why
                try append(r, to: audit)
                reporter.stepEnd(s.id, status: .skipped, exit: nil, durationMS: 0, message: why)
                continue
            }
            if step.plan.asks, !request.yes {
                let expected = env.isProtected ? (env.service ?? env.name) : nil
                if !world.prompter.confirm(PlanReport.question(step: s.id, environment: env), expected: expected) {
                    var r = record(.stepEnd)
                    r.step = s.id
                    r.kind = s.kind.rawValue
                    r.status = StepStatus.declined.rawValue
                    r.reason = "the operator did not confirm"
                    try append(r, to: audit)
                    reporter.stepEnd(s.id, status: .declined, exit: nil, durationMS: 0, message: "not confirmed; the run ends here")
                    ending = world.interrupt.isSet ? .interrupted : .declined
                    break
                }
            }
            var r = record(.stepStart)
            r.step = s.id
            r.kind = s.kind.rawValue
            r.actions = step.commands.map(auditAction)
            try append(r, to: audit)
            reporter.stepStart(s.id, kind: s.kind.rawValue, index: index + 1, total: bound.steps.count)

            let outcome = await runStep(step)
            statuses[s.id] = outcome.status
            var end = record(.stepEnd)
            end.step = s.id
            end.kind = s.kind.rawValue
            end.status = outcome.status.rawValue
            end.exitStatus = outcome.exit
            end.durationMS = outcome.durationMS
            end.before = outcome.before
            end.after = outcome.after
            end.reason = outcome.message.map(redactor.redact)
            let out = outcome.capture.summary
            end.outputSHA256 = out.sha256
            end.outputBytes = out.bytes
            end.outputExcerpt = out.excerpt
            try append(end, to: audit)
            reporter.stepEnd(s.id, status: outcome.status, exit: outcome.exit, durationMS: outcome.durationMS, message: outcome.message.map(redactor.redact))
            if outcome.status == .interrupted {
                ending = .interrupted
                break
            }
            if outcome.status == .ok, s.kind == .verify { unverified = nil }
            if outcome.status != .ok {
                if handled.contains(s.id) {
                    unverified = s.id
                    reporter.notice("step \(s.id) \(outcome.status.rawValue); the steps conditioned on it (if=failed:\(s.id)) take over")
                } else {
                    anyFailed = true
                }
                await notices.stepFailed(s.id, status: outcome.status, reason: outcome.message)
            }
        }
        if let step = unverified, !anyFailed, ending == nil {
            reporter.notice("step \(step) failed and no verify step passed after it; the run counts as failed")
        }
        let status = ending ?? (anyFailed || unverified != nil ? .failed : .ok)
        let code = status.exitCode
        var endRecord = record(.runEnd)
        endRecord.status = status.rawValue
        endRecord.exitStatus = Int(code)
        endRecord.chainHead = audit.head
        endRecord.counts = statuses.values.reduce(into: [:]) { $0[$1.rawValue, default: 0] += 1 }
        let head = try append(endRecord, to: audit)
        reporter.runEnd(run: runID, status: status, exitCode: code, audit: audit.path, head: head)
        await notices.finished(status: status, durationSeconds: Self.now() - runStarted, chainHead: head)
        withExtendedLifetime(lock) {}
        return code
    }

    @discardableResult
    func append(_ record: AuditRecord, to audit: AuditLog) throws(ExecError) -> String {
        do {
            return try audit.append(record)
        } catch {
            throw ExecError(.invalid, "\(error); the run stops because it cannot be recorded")
        }
    }

    func auditAction(_ command: BoundCommand) -> AuditRecord.Action {
        switch command.action {
        case .native(let a):
            return AuditRecord.Action(type: "native", name: a.name,
                                      args: Dictionary(a.arguments.map { ($0.key, redactor.redact($0.value)) }, uniquingKeysWith: { x, _ in x }),
                                      text: nil, changesState: command.planned.changesState)
        case .shell(_, let display):
            return AuditRecord.Action(type: "shell", name: "bash", args: nil, text: redactor.redact(display), changesState: command.planned.changesState)
        }
    }

    struct StepOutcome {
        var status = StepStatus.ok
        var exit: Int?
        var message: String?
        var before: [String: String]?
        var after: [String: String]?
        var durationMS = 0
        var capture = OutputCapture()
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    func runStep(_ step: BoundStep) async -> StepOutcome {
        var outcome = StepOutcome()
        let started = Self.now()
        let deadline = started + Double(step.plan.step.timeoutSeconds)
        let capture = outcome.capture
        let id = step.id
        let redactor = self.redactor
        let reporter = self.reporter
        var childEnvironment = world.processEnvironment.merging(bound.shellEnvironment) { _, new in new }
        childEnvironment["RUNBOOK_AUDIT_KEY"] = nil
        // `--yes` reaches the scripts a step calls (e.g. a restore that would overwrite a
        // non-empty database); one inherited from the operator's shell never counts as consent.
        childEnvironment["RUNBOOK_YES"] = request.yes ? "1" : nil
        commands: for command in step.commands {
            let remaining = deadline - Self.now()
            guard remaining > 0 else {
                outcome.status = .timeout
                outcome.message = "timed out after \(DurationText.format(seconds: step.plan.step.timeoutSeconds))"
                break
            }
            switch command.action {
            case .shell(let script, _):
                do {
                    let r = try ShellProcess.run(script: script, environment: childEnvironment, workingDirectory: docSet.root.path,
                                                 timeoutSeconds: remaining, interrupt: world.interrupt) { line, isError in
                        let clean = redactor.redact(line)
                        capture.add(clean)
                        reporter.line(id, clean, stderr: isError)
                    }
                    outcome.exit = r.code
                    if r.interrupted {
                        outcome.status = .interrupted
                        outcome.message = "stopped by Ctrl-C; its process group was killed"
                    } else if r.timedOut {
                        outcome.status = .timeout
                        outcome.message = "timed out after \(DurationText.format(seconds: step.plan.step.timeoutSeconds)); its process group was killed"
                    } else if !r.succeeded {
                        outcome.status = .failed
                        outcome.message = r.signal.map { "bash was killed by signal \($0)" } ?? "bash exited with status \(r.code) (commands from line \(command.planned.line))"
                    }
                } catch {
                    outcome.status = .failed
                    outcome.message = "\(error)"
                }
            case .native(let action):
                let result = await runNative(action, id: id, deadline: deadline, capture: capture)
                outcome.status = result.status
                outcome.message = result.message
                if let b = result.before { outcome.before = (outcome.before ?? [:]).merging(b) { _, new in new } }
                if let a = result.after { outcome.after = (outcome.after ?? [:]).merging(a) { _, new in new } }
                outcome.exit = result.status == .ok ? 0 : 1
            }
            if outcome.status != .ok { break commands }
        }
        outcome.durationMS = Int((Self.now() - started) * 1000)
        return outcome
    }

    enum NativeRace: Sendable {
        case done(NativeActionResult)
        case error(String)
        case timeout
        case interrupted
    }

    func runNative(_ action: NativeAction, id: String, deadline: Double, capture: OutputCapture)
        async -> (status: StepStatus, message: String?, before: [String: String]?, after: [String: String]?) {
        let redactor = self.redactor
        let reporter = self.reporter
        let context = NativeActionContext(environment: env, timeoutSeconds: max(0, deadline - Self.now()), force: request.force,
                                          workingDirectory: docSet.root.path, processEnvironment: world.processEnvironment) { line in
            let clean = redactor.redact(line)
            capture.add(clean)
            reporter.line(id, clean, stderr: false)
        }
        let executor = world.executor
        let interrupt = world.interrupt
        let race: NativeRace = await withTaskGroup(of: NativeRace.self) { group in
            group.addTask {
                do {
                    return .done(try await executor.run(action, context: context))
                } catch {
                    return .error(String(describing: error))
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    if interrupt.isSet { return .interrupted }
                    if Self.now() > deadline { return .timeout }
                    try? await Task.sleep(nanoseconds: 100_000_000)
                }
                return .timeout
            }
            let first = await group.next() ?? .error("the action ended without a result")
            group.cancelAll()
            return first
        }
        switch race {
        case .done(let r):
            return (r.succeeded ? .ok : .failed, r.message.map(redactor.redact), r.before, r.after)
        case .error(let message):
            return (.failed, redactor.redact(message), nil, nil)
        case .timeout:
            return (.timeout, "\(action.name) timed out", nil, nil)
        case .interrupted:
            return (.interrupted, "\(action.name) stopped by Ctrl-C", nil, nil)
        }
    }
}
