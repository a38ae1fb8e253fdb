import AuditTrail
import RunbookCore
import SystemIO

/// Decides whether a run may start and whether each state-changing step may go ahead.
///
/// Before the first step: every step that asks must have someone to ask (a terminal) or `--yes`;
/// the run takes the lock of its (environment, service); for a run that calls AWS, the credentials
/// must belong to the environment's `aws_account`. A refusal says why and what to do; the run
/// records it and nothing has run. During the run: asks before each step that changes state.
struct RunGate {
    let request: ExecRequest
    let bound: BoundPlan
    let world: ExecWorld
    let runID: String

    var environment: EnvironmentConfig { bound.environment }

    /// Why the gate stopped the run; `awsARN` is the identity behind the credentials when the
    /// account check got that far (the refusal record names it).
    struct Refusal: Error {
        var kind: ExecError.Kind
        var message: String
        var awsARN: String?
    }

    /// What the AWS account check found.
    enum AccountCheck: Equatable {
        /// No AWS step, or the environment names no `aws_account`.
        case notNeeded
        /// STS confirmed the account; the caller is this ARN.
        case confirmed(arn: String)
        /// This build cannot call STS; the run goes on and says so.
        case notConfirmed(String)
    }

    /// Refuses when a step would ask but nobody can answer, before anything else happens.
    func requireSomeoneToAsk() throws(Refusal) {
        guard !request.yes, !world.prompter.isInteractive, let first = bound.steps.first(where: { bound.asks($0) }) else { return }
        throw Refusal(kind: .refused, message: "step '\(first.id)' changes state and needs confirmation, but there is no terminal to ask; nothing was run. Run it on a terminal, or pass --yes after reading `\(request.displayCommand ?? "runbook exec \(bound.section.target) --env \(environment.name)") --dry-run`")
    }

    /// Takes the lock of this run's (environment, service), or refuses when another run holds it.
    func lock() throws(Refusal) -> RunLock {
        do {
            return try RunLock(directory: AuditLog.stateDirectory(environment: world.processEnvironment) + "/locks",
                               environment: environment.name, service: environment.service ?? bound.section.target,
                               run: runID, time: SystemInfo.timestamp())
        } catch {
            throw Refusal(kind: error.kind, message: error.description)
        }
    }

    /// Confirms with STS that the AWS credentials are the environment's account.
    func checkAccount() async throws(Refusal) -> AccountCheck {
        guard bound.touchesAWS, let account = environment.awsAccount else { return .notNeeded }
        let identity: CallerIdentity?
        do {
            identity = try await world.executor.callerIdentity(environment: environment)
        } catch {
            throw Refusal(kind: .refused, message: "cannot confirm the AWS account of env \(environment.name) with STS: \(bound.redactor.redact(String(describing: error)))")
        }
        guard let identity else { return .notConfirmed("AWS account not confirmed: this build cannot call STS") }
        if identity.account != account {
            throw Refusal(kind: .refused, message: "the AWS credentials are for account \(identity.account) (\(identity.arn)), but env \(environment.name) is account \(account); nothing was run",
                          awsARN: identity.arn)
        }
        return .confirmed(arn: identity.arn)
    }

    /// Whether `step` may run: yes without asking unless it changes state and there is no
    /// `--yes`; else the operator's answer (a protected environment wants the service name).
    func confirm(_ step: BoundStep) async -> Bool {
        guard bound.asks(step), !request.yes else { return true }
        let expected = environment.isProtected ? (environment.service ?? environment.name) : nil
        return await world.prompter.confirm(PlanReport.question(step: step.id, environment: environment), expected: expected)
    }
}
