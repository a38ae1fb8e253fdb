/// What a step does to the world; decides default timeout and confirmation.
public enum StepKind: String, Sendable, Equatable, Codable, CaseIterable {
    case diagnose, act, verify

    /// Default timeout in seconds when the block gives none.
    public var defaultTimeoutSeconds: Int {
        switch self {
        case .diagnose, .verify: return 120
        case .act: return 900
        }
    }
}

/// `if=failed:STEP` / `if=ok:STEP`: run only when an earlier step ended that way.
public struct StepCondition: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Outcome: String, Sendable, Equatable, Codable { case failed, ok }
    public var outcome: Outcome
    public var stepID: String

    public init(outcome: Outcome, stepID: String) {
        self.outcome = outcome
        self.stepID = stepID
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let outcome = Outcome(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
        self.init(outcome: outcome, stepID: parts[1])
    }

    public var description: String { "\(outcome.rawValue):\(stepID)" }
}

/// A fenced shell block inside a section: one runnable step.
public struct Step: Sendable, Equatable {
    public static let languages: Set<String> = ["bash", "sh", "shell", "console"]
    public static let attributeKeys: Set<String> = ["id", "kind", "timeout", "confirm", "if", "skip"]

    public var id: String
    /// Whether `id=` was written (else derived from the first command).
    public var hasExplicitID: Bool
    public var language: String
    public var kind: StepKind
    /// Whether `kind=` was written (else inferred: anything that may change state is `act`).
    public var hasExplicitKind: Bool
    public var timeoutSeconds: Int
    public var confirm: Bool
    public var condition: StepCondition?
    public var skip: Bool
    /// The block's text exactly as written.
    public var code: String
    /// Parameters the code uses: `<task-id>` and `${CLUSTER}` forms, in order of first use.
    public var parameters: [String]
    /// Line of the opening fence.
    public var line: Int
    /// Id of the innermost heading above the block.
    public var sectionID: String

    public init(id: String, hasExplicitID: Bool, language: String, kind: StepKind, hasExplicitKind: Bool,
                timeoutSeconds: Int, confirm: Bool, condition: StepCondition?, skip: Bool, code: String,
                parameters: [String], line: Int, sectionID: String) {
        self.id = id
        self.hasExplicitID = hasExplicitID
        self.language = language
        self.kind = kind
        self.hasExplicitKind = hasExplicitKind
        self.timeoutSeconds = timeoutSeconds
        self.confirm = confirm
        self.condition = condition
        self.skip = skip
        self.code = code
        self.parameters = parameters
        self.line = line
        self.sectionID = sectionID
    }

    /// The shell text the block runs: its code, or for `console` the commands after `$ ` prompts.
    public var shellText: String {
        language == "console" ? ConsoleTranscript.commands(code) : code
    }
}
