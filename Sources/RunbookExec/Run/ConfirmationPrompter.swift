/// Asks the operator before a step that changes state.
public protocol ConfirmationPrompter: Sendable {
    /// Whether there is someone to ask (a terminal on stdin and stderr).
    var isInteractive: Bool { get }
    /// Asks `question`; with `expected`, the answer must be exactly that text (a protected
    /// environment asks for the service name), else `y`/`yes`. Waiting for the answer must not
    /// hold a thread of the cooperative pool; a cancelled task counts as "no".
    func confirm(_ question: String, expected: String?) async -> Bool
}

/// Fixed answers, for tests.
public struct ScriptedPrompter: ConfirmationPrompter {
    public var isInteractive: Bool
    public var answer: Bool

    public init(isInteractive: Bool, answer: Bool) {
        self.isInteractive = isInteractive
        self.answer = answer
    }

    public func confirm(_ question: String, expected: String?) async -> Bool { answer }
}
