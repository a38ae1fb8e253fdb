import RunbookCore

/// Decides, step by step, whether the next step runs or is skipped, and how the run ends.
///
/// A step is skipped when the doc marks it `skip`, when its `if=ok:STEP` / `if=failed:STEP` does
/// not hold, or when an earlier step failed. A failed step that a later step of this run is
/// conditioned on (`if=failed:STEP`) is a result the doc handles, not a failed run: the run goes
/// on, and its exit status depends on the steps after it (api-down: a failing health check leads
/// to the redeploy). The run still fails unless a `verify` step passes after the handled failure.
struct RunScheduler {
    /// Whether a step runs, and anything worth telling the operator about the decision.
    struct Decision: Equatable {
        /// Why the step does not run; nil when it runs.
        var skipReason: String?
        var note: String?
    }

    /// What a step's end means for the run.
    enum Consequence: Equatable {
        /// Go on with the next step.
        case next
        /// The step did not succeed, and later steps conditioned on its failure take over.
        case handedOver
        /// The step did not succeed; the run has failed (the remaining steps are skipped).
        case failed
        /// The run ends now (the step was interrupted).
        case stop
    }

    private let selected: Set<String>
    private let handled: Set<String>
    private let only: [String]
    private(set) var statuses: [String: StepStatus] = [:]
    private var anyFailed = false
    private var unverified: String?
    private var ending: RunStatus?

    /// The scheduler of a run of `steps` (in order); `only` is `--only`.
    init(steps: [Step], only: [String]) {
        selected = Set(steps.map(\.id))
        handled = Set(steps.compactMap(\.condition).filter { $0.outcome == .failed }.map(\.stepID))
            .intersection(selected)
        self.only = only
    }

    /// Whether `step` runs, given how the steps before it ended. A skipped step counts as ended.
    mutating func decide(_ step: Step) -> Decision {
        var decision = Decision()
        var conditionOnFailure = false
        if step.skip {
            decision.skipReason = "marked skip in the doc"
        } else if let c = step.condition {
            if !selected.contains(c.stepID) && only.contains(step.id) {
                decision.note = "step \(step.id): if=\(c) is not checked, because \(c.stepID) is not part of this run and --only names \(step.id)"
            } else if let status = statuses[c.stepID], status != .skipped {
                let failed = status != .ok
                conditionOnFailure = c.outcome == .failed && failed
                if (c.outcome == .failed) != failed { decision.skipReason = "if=\(c) does not hold (\(c.stepID): \(status.rawValue))" }
            } else {
                decision.skipReason = "if=\(c) does not hold (\(c.stepID) did not run)"
            }
        }
        if decision.skipReason == nil, anyFailed, !conditionOnFailure { decision.skipReason = "an earlier step failed" }
        if decision.skipReason != nil { statuses[step.id] = .skipped }
        return decision
    }

    /// Takes in how `step` ended and says what that means for the run.
    mutating func ended(_ step: Step, _ status: StepStatus) -> Consequence {
        statuses[step.id] = status
        if status == .interrupted {
            ending = .interrupted
            return .stop
        }
        if status == .ok {
            if step.kind == .verify { unverified = nil }
            return .next
        }
        if handled.contains(step.id) {
            unverified = step.id
            return .handedOver
        }
        anyFailed = true
        return .failed
    }

    /// Ends the run before its remaining steps (Ctrl-C, a declined step).
    mutating func stop(_ status: RunStatus) {
        ending = status
    }

    /// How the run ended, and a note when it failed only because nothing verified a handled failure.
    func outcome() -> (status: RunStatus, note: String?) {
        var note: String?
        if let step = unverified, !anyFailed, ending == nil {
            note = "step \(step) failed and no verify step passed after it; the run counts as failed"
        }
        return (ending ?? (anyFailed || unverified != nil ? .failed : .ok), note)
    }

    /// How many steps ended each way (the run-end record's `counts`); declined steps are not counted.
    var counts: [String: Int] {
        statuses.values.reduce(into: [:]) { $0[$1.rawValue, default: 0] += 1 }
    }
}
