import AuditTrail
import RunbookCore
import SystemIO

/// Tells what a run does: one audit record per event (refusal, run start, step start, step end,
/// run end), the matching lines for the operator (text or `--json`), and the Slack notices.
///
/// A record that cannot be written stops the run: a run that cannot be recorded does not go on.
struct RunRecorder {
    let audit: AuditLog
    let runID: String
    let bound: BoundPlan
    let docPath: String
    let provenance: DocProvenance
    let processEnvironment: [String: String]
    let reporter: RunReporter
    /// Who runs it; the AWS caller's ARN is added once the account check has it.
    var runOperator: AuditRecord.Operator
    private var notices: RunNotices?
    private var startedAt = 0.0

    var environment: EnvironmentConfig { bound.environment }
    var redactor: Redactor { bound.redactor }

    /// Opens the audit log and attaches its remote copy, if one is configured.
    static func open(runID: String, docSet: DocSet, document: RunbookDocument, bound: BoundPlan, world: ExecWorld) async throws(ExecError) -> RunRecorder {
        let audit: AuditLog
        do {
            audit = try AuditLog(path: AuditLog.defaultPath(environment: world.processEnvironment), key: world.processEnvironment["RUNBOOK_AUDIT_KEY"])
        } catch {
            throw ExecError(.invalid, "\(error)")
        }
        // `git log` and `git status` are child processes: waited for off the cooperative pool.
        let (path, root) = (document.path, docSet.root)
        let provenance: DocProvenance
        do {
            provenance = try await BlockingWork.run(whenCancelled: .finish) { DocProvenance.of(path: path, root: root) }
        } catch {
            throw ExecError(.refused, "the run was cancelled before it started; nothing was run")
        }
        let op = AuditRecord.Operator(user: SystemInfo.userName(environment: world.processEnvironment), host: SystemInfo.hostName())
        audit.mirror = world.auditMirror?(bound.environment, op)
        return RunRecorder(audit: audit, runID: runID, bound: bound, docPath: document.path, provenance: provenance,
                           processEnvironment: world.processEnvironment, reporter: world.reporter, runOperator: op)
    }

    /// Sends what the remote copy of the log still lacks (bounded) and says what it could not send.
    func close() async {
        await audit.mirror?.finish()
    }

    // MARK: - Records

    func record(_ event: AuditRecord.Event) -> AuditRecord {
        var r = AuditRecord(time: SystemInfo.timestamp(), event: event, run: runID)
        r.operator = runOperator
        r.env = environment.name
        r.doc = docPath
        r.docCommit = provenance.commit
        r.docSHA256 = provenance.sha256
        r.section = bound.section.sectionID
        return r
    }

    @discardableResult
    func append(_ record: AuditRecord) throws(ExecError) -> String {
        do {
            return try audit.append(record)
        } catch {
            throw ExecError(.invalid, "\(error); the run stops because it cannot be recorded")
        }
    }

    /// Records a refusal by the gate (best effort: the refusal is the error either way) and throws it.
    func refuse(_ refusal: RunGate.Refusal) throws(ExecError) -> Never {
        var r = record(.refused)
        if let arn = refusal.awsARN { r.operator?.awsARN = arn }
        r.reason = redactor.redact(refusal.message)
        r.status = RunStatus.refused.rawValue
        _ = try? audit.append(r)
        throw ExecError(refusal.kind, refusal.message)
    }

    /// Something the operator should know that is not an event of the log.
    func notice(_ message: String) {
        reporter.notice(message)
    }

    // MARK: - Events

    mutating func runStarted(accountNote: String?) async throws(ExecError) {
        var start = record(.runStart)
        start.reason = accountNote
        start.actions = nil
        start.counts = ["steps": bound.steps.count]
        try append(start)
        startedAt = StepRunner.now()
        reporter.runStart(run: runID, target: bound.section.target, env: environment.name, steps: bound.steps.count)
        let op = runOperator
        let who = op.awsARN.map { "\(op.user)@\(op.host) (\($0))" } ?? "\(op.user)@\(op.host)"
        let notices = RunNotices(environment: environment, processEnvironment: processEnvironment,
                                 run: .init(id: runID, target: bound.section.target, environment: environment.name, operatorName: who),
                                 reporter: reporter, redactor: redactor)
        self.notices = notices
        await notices.started(steps: bound.steps.count)
    }

    func stepSkipped(_ step: Step, reason: String) throws(ExecError) {
        var r = record(.stepEnd)
        r.step = step.id
        r.kind = step.kind.rawValue
        r.status = StepStatus.skipped.rawValue
        r.reason = reason
        try append(r)
        reporter.stepEnd(step.id, status: .skipped, exit: nil, durationMS: 0, message: reason)
    }

    func stepDeclined(_ step: Step) throws(ExecError) {
        var r = record(.stepEnd)
        r.step = step.id
        r.kind = step.kind.rawValue
        r.status = StepStatus.declined.rawValue
        r.reason = "the operator did not confirm"
        try append(r)
        reporter.stepEnd(step.id, status: .declined, exit: nil, durationMS: 0, message: "not confirmed; the run ends here")
    }

    func stepStarted(_ step: BoundStep, index: Int) throws(ExecError) {
        let s = step.plan.step
        var r = record(.stepStart)
        r.step = s.id
        r.kind = s.kind.rawValue
        r.actions = step.commands.map(auditAction)
        try append(r)
        reporter.stepStart(s.id, kind: s.kind.rawValue, index: index + 1, total: bound.steps.count)
    }

    func stepEnded(_ step: Step, _ outcome: StepOutcome) throws(ExecError) {
        var end = record(.stepEnd)
        end.step = step.id
        end.kind = step.kind.rawValue
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
        try append(end)
        reporter.stepEnd(step.id, status: outcome.status, exit: outcome.exit, durationMS: outcome.durationMS,
                         message: outcome.message.map(redactor.redact))
    }

    /// The Slack notice of a step that did not succeed.
    func stepFailed(_ step: Step, _ outcome: StepOutcome) async {
        await notices?.stepFailed(step.id, status: outcome.status, reason: outcome.message)
    }

    /// Records the run's end (with the chain head so far), prints it and sends the Slack notice.
    func runEnded(_ status: RunStatus, counts: [String: Int]) async throws(ExecError) {
        var endRecord = record(.runEnd)
        endRecord.status = status.rawValue
        endRecord.exitStatus = Int(status.exitCode)
        endRecord.chainHead = audit.head
        endRecord.counts = counts
        let head = try append(endRecord)
        reporter.runEnd(run: runID, status: status, exitCode: status.exitCode, audit: audit.path, head: head)
        await notices?.finished(status: status, durationSeconds: StepRunner.now() - startedAt, chainHead: head)
    }

    func auditAction(_ command: BoundCommand) -> AuditRecord.Action {
        switch command.action {
        case .native(let a):
            return AuditRecord.Action(type: "native", name: a.name,
                                      args: Dictionary(a.arguments.map { ($0.key, VisibleText.escaped(redactor.redact($0.value))) },
                                                       uniquingKeysWith: { x, _ in x }),
                                      text: nil, changesState: command.planned.changesState)
        case .shell(_, let display):
            // As the plan shows it: control and bidi characters spelled out (see VisibleText).
            return AuditRecord.Action(type: "shell", name: "bash", args: nil, text: VisibleText.escaped(redactor.redact(display)),
                                      changesState: command.planned.changesState)
        }
    }
}
