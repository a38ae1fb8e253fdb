/// What `runbook exec` was asked to do.
public struct ExecRequest: Sendable {
    /// `DOC#ID` (`incident-response#api-down`; `docs/operations/incident-response.md#api-down` works too).
    public var target: String
    public var environment: String?
    public var sets: [(name: String, value: String)] = []
    public var only: [String] = []
    public var from: String?
    public var dryRun = false
    public var yes = false
    public var json = false
    /// Passed to native actions: change a service even while a deployment this run did not start is in progress.
    public var force = false
    /// How the operator asked for this run, for hints (`runbook ecs rollback --env staging`);
    /// nil: `runbook exec TARGET --env NAME`.
    public var displayCommand: String?

    public init(target: String, environment: String? = nil) {
        self.target = target
        self.environment = environment
    }
}
