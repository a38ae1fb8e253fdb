/// A problem found in a doc or the config, with where it is and a plain sentence about it.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable, Codable {
        case error, warning
    }

    /// Stable machine-readable codes (used by `runbook check --format json`).
    public enum Code: String, Sendable, Equatable, Codable {
        case unterminatedFrontMatter = "front-matter-unterminated"
        case badYAML = "front-matter-yaml"
        case unknownFrontMatterKey = "front-matter-unknown-key"
        case badFrontMatterValue = "front-matter-value"
        case missingFrontMatterKey = "front-matter-missing-key"
        case unknownStepAttribute = "step-unknown-attribute"
        case badStepAttribute = "step-attribute"
        case duplicateStepID = "step-duplicate-id"
        case duplicateHeadingID = "heading-duplicate-id"
        case badTimeout = "step-timeout"
        case badCondition = "step-condition"
        case brokenLink = "link-broken"
        case unsafeLink = "link-unsafe"
        case config = "config"
        case unreadable = "unreadable"
        case reviewOverdue = "review-overdue"
        case reviewDueSoon = "review-due-soon"
        case reviewInFuture = "review-in-future"
        case missingFile = "missing-file"
        case stepPlan = "step-plan"
        case staleSite = "site-stale"
        case execReference = "exec-reference"
        case hiddenCharacters = "hidden-characters"
        case nestedTooDeep = "markdown-too-deep"
        case tableTooLarge = "markdown-table-too-large"
        case linkOutsideDocs = "symlink-outside-docs"
        case linkRepeated = "symlink-repeated"
        case invalidUTF8 = "invalid-utf8"
    }

    public var file: String
    public var line: Int
    public var severity: Severity
    public var code: Code
    public var message: String

    public init(file: String, line: Int, severity: Severity = .error, code: Code, message: String) {
        self.file = file
        self.line = line
        self.severity = severity
        self.code = code
        self.message = message
    }

    /// `docs/operations/runbook.md:12: error: ...`
    public var description: String { "\(file):\(line): \(severity.rawValue): \(message)" }
}

/// One or more errors that stop a doc set from being used.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
