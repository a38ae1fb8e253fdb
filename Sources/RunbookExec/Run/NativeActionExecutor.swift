import RunbookCore

/// Who the AWS credentials belong to (STS GetCallerIdentity).
public struct CallerIdentity: Sendable, Equatable {
    public var account: String
    public var arn: String

    public init(account: String, arn: String) {
        self.account = account
        self.arn = arn
    }
}

/// What a native action runs with.
public struct NativeActionContext: Sendable {
    public var environment: EnvironmentConfig
    /// Seconds left in the step; the runner also cancels the task when they run out.
    public var timeoutSeconds: Double
    /// `--force`: a redeploy or rollback may go ahead while the service has a deployment in
    /// progress that this run did not start (without it, the executor refuses such a change).
    public var force: Bool
    /// Prints and records one line of output (the runner redacts and prefixes it).
    public var output: @Sendable (String) -> Void
    /// Where relative file paths point (the project root, as for shell steps).
    public var workingDirectory: String?
    /// The run's process environment (e.g. the variable named by `redis_password_env`).
    public var processEnvironment: [String: String]
    /// Every request the action sent, in order (for the step's record, above all after a cancel).
    public var sentRequests = SentRequests()

    public init(environment: EnvironmentConfig, timeoutSeconds: Double, force: Bool = false, workingDirectory: String? = nil,
                processEnvironment: [String: String] = [:], output: @escaping @Sendable (String) -> Void) {
        self.environment = environment
        self.timeoutSeconds = timeoutSeconds
        self.force = force
        self.workingDirectory = workingDirectory
        self.processEnvironment = processEnvironment
        self.output = output
    }
}

/// How a native action ended.
public struct NativeActionResult: Sendable, Equatable {
    public var succeeded: Bool
    /// One line for the terminal and the audit log ("service stable: 2/2 tasks on mindhit-api:42").
    public var message: String?
    /// State before a change (e.g. `task_definition`: the exact rollback target), for the audit log.
    public var before: [String: String]?
    public var after: [String: String]?

    public init(succeeded: Bool, message: String? = nil, before: [String: String]? = nil, after: [String: String]? = nil) {
        self.succeeded = succeeded
        self.message = message
        self.before = before
        self.after = after
    }
}

/// Runs native actions (ECS, Logs, RDS, STS, S3, health, Prometheus, Redis). `OpsActionExecutor` is
/// the real one; it must honour task cancellation (timeouts and Ctrl-C cancel the task).
public protocol NativeActionExecutor: Sendable {
    /// The identity behind the AWS credentials for `environment`, or nil when this executor
    /// cannot tell (the account check is then reported as not done).
    func callerIdentity(environment: EnvironmentConfig) async throws -> CallerIdentity?
    /// Runs `action`. A failure of the action is a result with `succeeded: false`; a thrown
    /// error is recorded as a failed step with its description as the message.
    func run(_ action: NativeAction, context: NativeActionContext) async throws -> NativeActionResult
}
