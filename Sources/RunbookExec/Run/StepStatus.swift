/// How a step ended. The raw values are what the audit log's step-end records say in `status`
/// (and what `--json` prints), so logs written before this type existed still verify and read.
public enum StepStatus: String, Sendable, Equatable, CaseIterable {
    case ok
    case failed
    /// The step ran out of time; its process group was killed (shell) or its task cancelled (native).
    case timeout
    /// Ctrl-C (or a cancelled run) stopped the step.
    case interrupted
    /// The step did not run: marked skip, its `if=` did not hold, or an earlier step failed.
    case skipped
    /// The operator did not confirm the step.
    case declined
}
