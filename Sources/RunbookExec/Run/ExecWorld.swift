import AuditTrail
import RunbookCore

/// Everything a run touches outside the plan, so tests can hand in their own.
public struct ExecWorld: Sendable {
    public var processEnvironment: [String: String]
    public var executor: any NativeActionExecutor
    public var resolvers: [any ParameterResolver]
    public var prompter: any ConfirmationPrompter
    public var interrupt: InterruptFlag
    public var reporter: RunReporter
    /// Makes the remote copy of the audit log for a run (environment, operator), if one is configured.
    public var auditMirror: (@Sendable (EnvironmentConfig, AuditRecord.Operator) -> (any AuditMirror)?)? = nil

    public init(processEnvironment: [String: String], executor: any NativeActionExecutor, resolvers: [any ParameterResolver],
                prompter: any ConfirmationPrompter, interrupt: InterruptFlag, reporter: RunReporter) {
        self.processEnvironment = processEnvironment
        self.executor = executor
        self.resolvers = resolvers
        self.prompter = prompter
        self.interrupt = interrupt
        self.reporter = reporter
    }
}
