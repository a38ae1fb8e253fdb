import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Asks the operator before a step that changes state.
public protocol ConfirmationPrompter: Sendable {
    /// Whether there is someone to ask (a terminal on stdin and stderr).
    var isInteractive: Bool { get }
    /// Asks `question`; with `expected`, the answer must be exactly that text (a protected
    /// environment asks for the service name), else `y`/`yes`.
    func confirm(_ question: String, expected: String?) -> Bool
}

/// Asks on the terminal: the question on stderr, the answer from stdin.
public struct TerminalPrompter: ConfirmationPrompter {
    public init() {}

    public var isInteractive: Bool { isatty(0) == 1 && isatty(2) == 1 }

    public func confirm(_ question: String, expected: String?) -> Bool {
        FileHandle.standardError.write(Data((question + " ").utf8))
        guard let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) else { return false }
        if let expected { return answer == expected }
        return ["y", "yes"].contains(answer.lowercased())
    }
}

/// Fixed answers, for tests.
public struct ScriptedPrompter: ConfirmationPrompter {
    public var isInteractive: Bool
    public var answer: Bool

    public init(isInteractive: Bool, answer: Bool) {
        self.isInteractive = isInteractive
        self.answer = answer
    }

    public func confirm(_ question: String, expected: String?) -> Bool { answer }
}
