import Foundation
import RunbookCore
import RunbookExec
import Synchronization

/// The one redactor everything the CLI prints passes through, whichever command prints it: a
/// session token reflected back by an endpoint into `ecs status` or `logs tail` is masked like
/// it is in `exec`. It knows the process environment's secrets from the start, and the values of
/// the `*_env` variables of the environment a command loads (`--env NAME`).
enum CLIRedactor {
    private static let state = Mutex(Redactor.forEnvironment(ProcessInfo.processInfo.environment, config: nil))

    /// Adds the secrets `environment` names (its `*_env` variables' values).
    static func include(_ environment: EnvironmentConfig) {
        let more = Redactor.forEnvironment(ProcessInfo.processInfo.environment, config: environment)
        state.withLock { $0.add(more.secrets) }
    }

    static func redact(_ text: String) -> String {
        state.withLock { $0 }.redact(text)
    }
}

/// Shadows `Swift.print` in this module, so no command can print around the redactor.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(CLIRedactor.redact(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}
