import SystemIO
import RunbookCore

/// One run of a bound plan: the gate admits it, then the scheduler picks each step, the step
/// runner runs it and the recorder tells about it; the run's lock is held from admission to the
/// run-end record.
struct Run {
    let request: ExecRequest
    let docSet: DocSet
    let document: RunbookDocument
    let bound: BoundPlan
    let world: ExecWorld
    let runID = SystemInfo.runID()

    /// Runs every step the scheduler lets run and returns the exit status (`RunStatus.exitCode`).
    /// A refusal by the gate is recorded and thrown.
    func execute() async throws(ExecError) -> Int32 {
        var recorder = try await RunRecorder.open(runID: runID, docSet: docSet, document: document, bound: bound, world: world)
        do {
            let code = try await admitAndRun(&recorder)
            await recorder.close()
            return code
        } catch {
            await recorder.close()
            throw error
        }
    }

    /// Everything between opening the audit log and closing its remote copy.
    private func admitAndRun(_ recorder: inout RunRecorder) async throws(ExecError) -> Int32 {
        let gate = RunGate(request: request, bound: bound, world: world, runID: runID)
        let lock: RunLock
        do {
            try gate.requireSomeoneToAsk()
            lock = try gate.lock()
        } catch {
            try recorder.refuse(error)
        }
        if let stale = lock.tookOverFrom {
            recorder.notice("took over a stale lock left by pid \(stale.pid) (since \(stale.since)); that process is gone")
        }
        var accountNote: String?
        do {
            switch try await gate.checkAccount() {
            case .notNeeded: break
            case .confirmed(let arn): recorder.runOperator.awsARN = arn
            case .notConfirmed(let note):
                accountNote = note
                recorder.notice(note)
            }
        } catch {
            try recorder.refuse(error)
        }

        try await recorder.runStarted(accountNote: accountNote)
        let status = try await runSteps(gate: gate, recorder: recorder, lock: lock)
        try await recorder.runEnded(status.status, counts: status.counts)
        withExtendedLifetime(lock) {}
        return status.status.exitCode
    }

    /// Runs the steps in order, as the scheduler decides, and says how the run ended.
    private func runSteps(gate: RunGate, recorder: RunRecorder, lock: RunLock) async throws(ExecError) -> (status: RunStatus, counts: [String: Int]) {
        var scheduler = RunScheduler(steps: bound.steps.map(\.plan.step), only: request.only)
        let runner = StepRunner(request: request, bound: bound, world: world, workingDirectory: docSet.root.path,
                                lockDescriptor: lock.descriptor)
        steps: for (index, step) in bound.steps.enumerated() {
            let s = step.plan.step
            if world.interrupt.isSet || Task.isCancelled {
                scheduler.stop(.interrupted)
                recorder.notice("interrupted before step \(s.id); the run ends here")
                break steps
            }
            let decision = scheduler.decide(s)
            if let note = decision.note { recorder.notice(note) }
            if let why = decision.skipReason {
                try recorder.stepSkipped(s, reason: why)
                continue
            }
            guard await gate.confirm(step) else {
                try recorder.stepDeclined(s)
                scheduler.stop(world.interrupt.isSet ? .interrupted : .declined)
                break steps
            }
            try recorder.stepStarted(step, index: index)
            let outcome = await runner.run(step)
            try recorder.stepEnded(s, outcome)
            switch scheduler.ended(s, outcome.status) {
            case .stop:
                break steps
            case .next:
                break
            case .handedOver:
                recorder.notice("step \(s.id) \(outcome.status.rawValue); the steps conditioned on it (if=failed:\(s.id)) take over")
                await recorder.stepFailed(s, outcome)
            case .failed:
                await recorder.stepFailed(s, outcome)
            }
        }
        let (status, note) = scheduler.outcome()
        if let note { recorder.notice(note) }
        return (status, scheduler.counts)
    }
}
