import Testing
import TestSupport
@testable import RunbookCore

/// The one classifier, case by case: every construct the issue lists and more. The same table is
/// checked against the site badge, the plan and the runner elsewhere (see the tests that import it).
@Suite("Command classifier: read-only, changes state, unknown")
struct CommandClassifierTests {
    typealias Expected = ClassifierCases.Expected
    static let table = ClassifierCases.table

    static func verdict(_ effect: StateEffect) -> Expected {
        switch effect {
        case .readOnly: return .read
        case .changesState: return .change
        case .unknown: return .unknown
        }
    }

    @Test("each construct gets its expected answer", arguments: table)
    func classify(_ text: String, _ expected: Expected) {
        let effect = CommandClassifier.classify(text: text)
        #expect(Self.verdict(effect) == expected, "\(text): \(effect)")
        #expect(effect.mayChangeState == (expected != .read))
    }

    @Test("a change anywhere in a block makes the block a change; unknown wins over read")
    func blocks() {
        #expect(Self.verdict(CommandClassifier.classify(text: "echo a\nrm b\nmytool")) == .change)
        #expect(Self.verdict(CommandClassifier.classify(text: "echo a && mytool")) == .unknown)
        #expect(Self.verdict(CommandClassifier.classify(text: "echo a; cat b | head")) == .read)
    }

    @Test("nesting is bounded: deeply nested substitutions are unknown, never a crash")
    func deepNesting() {
        var text = "echo x"
        for _ in 0..<40 { text = "echo \"$(\(text))\"" }
        #expect(CommandClassifier.classify(text: text).mayChangeState)
    }
}
