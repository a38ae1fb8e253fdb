/// How a run ended: the `status` of its run-end record (or of the record of a refused run). The
/// raw values are the audit log's words, unchanged.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
    case ok
    case failed
    case interrupted
    case declined
    /// A gate stopped the run before its first step (no terminal to ask, wrong AWS account, lock).
    case refused

    /// The exit status of `runbook exec` for a run that ended this way.
    public var exitCode: Int32 {
        switch self {
        case .ok: return 0
        case .declined, .refused: return 2
        case .failed, .interrupted: return 1
        }
    }
}
