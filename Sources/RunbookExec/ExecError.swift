/// Why a run stopped before its first step: an invalid request, a plan or binding problem, a
/// refusal by a gate, or a lock held by another run. Always exit status 2.
public struct ExecError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The request names something that is not there (doc, section, step, environment).
        case invalid
        /// A step could not be planned (file:line in each line).
        case plan
        /// Parameters or targets could not be bound.
        case bind
        /// A gate refused (no TTY and no --yes, wrong account, declined prompt).
        case refused
        /// Another run holds the lock.
        case locked
    }

    public var kind: Kind
    /// One problem per line, each saying what, where and what to do.
    public var lines: [String]

    public init(_ kind: Kind, _ lines: [String]) {
        self.kind = kind
        self.lines = lines
    }

    public init(_ kind: Kind, _ line: String) {
        self.init(kind, [line])
    }

    public var exitCode: Int32 { 2 }

    public var description: String { lines.joined(separator: "\n") }
}
