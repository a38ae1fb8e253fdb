/// How one step ended, with what the audit log records about it.
struct StepOutcome {
    var status = StepStatus.ok
    /// Bash's exit status (or 128 + signal); 0 or 1 for a native action.
    var exit: Int?
    /// Why it did not succeed, or the native action's one-line summary (not yet redacted).
    var message: String?
    /// State before and after a change (e.g. the task definition a redeploy replaced).
    var before: [String: String]?
    var after: [String: String]?
    var durationMS = 0
    /// The step's (redacted) output: digest, size and excerpt.
    var capture = OutputCapture()
}
