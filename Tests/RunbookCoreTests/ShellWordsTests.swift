import Foundation
import Testing
@testable import RunbookCore

@Suite("Shell words")
struct ShellWordsTests {
    struct ReferenceCase: Decodable, CustomTestStringConvertible {
        var line: String
        var reference: String
        var words: [String]
        var testDescription: String { "[\(reference)] \(line.replacingOccurrences(of: "\n", with: "⏎"))" }
    }

    static let cases: [ReferenceCase] = {
        guard let url = Bundle.module.url(forResource: "Fixtures/shlex-cases", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let cases = try? JSONDecoder().decode([ReferenceCase].self, from: data) else { return [] }
        return cases
    }()

    @Test func fixtureIsThere() {
        #expect(Self.cases.count >= 40, "Fixtures/shlex-cases.json is missing; run scripts/make-shlex-fixture.py")
    }

    @Test(arguments: cases)
    func matchesReference(_ c: ReferenceCase) throws {
        #expect(try ShellWords.split(c.line) == c.words)
    }

    @Test func parametersStayParameters() throws {
        let script = try ShellWords.parse("aws ecs describe-tasks --cluster ${CLUSTER} --tasks <task-id>")
        let words = try #require(script.commands.first).words
        #expect(words[4].parameterNames == ["CLUSTER"])
        #expect(words[6].parameterNames == ["task-id"])
        #expect(script.commands.first?.redirections.isEmpty == true)
    }

    @Test func commandsAndOperators() throws {
        let script = try ShellWords.parse("a && b || c; d | e\n# note\nf 2>&1 > out.txt\n")
        #expect(script.commands.map { $0.words.first?.text } == ["a", "b", "c", "d", "e", "f"])
        #expect(script.commands.map(\.terminator) == [.and, .or, .semicolon, .pipe, .newline, .newline])
        let f = try #require(script.commands.last)
        #expect(f.redirections.map(\.op) == ["2>&", ">"])
        #expect(f.redirections.map { $0.target?.text } == ["1", "out.txt"])
        #expect(f.line == 3)
    }

    @Test func expansionsAreMarked() throws {
        let script = try ShellWords.parse("echo $(date) \"$HOME\" `id` ~/x *.log")
        let words = try #require(script.commands.first).words.dropFirst()
        #expect(words.allSatisfy { $0.hasExpansion })
    }

    @Test func heredocBodyIsNotTokenized() throws {
        let script = try ShellWords.parse("cat <<EOF\nit's \"open\nEOF\necho done")
        #expect(script.hasHeredoc)
        #expect(script.commands.map { $0.words.first?.text } == ["cat", "echo"])
    }

    /// `<<<` is a here-string: its word is the input, and the next line is a command again.
    @Test func hereStringIsNotAHeredoc() throws {
        let script = try ShellWords.parse("cat <<< hello\necho done")
        #expect(!script.hasHeredoc)
        #expect(script.commands.map { $0.words.first?.text } == ["cat", "echo"])
        #expect(script.commands.first?.redirections.map(\.op) == ["<<<"])
    }

    @Test func unclosedQuoteNamesTheLine() {
        #expect(throws: ShellWords.ParseError(line: 2, message: "a single quote (') is never closed")) {
            try ShellWords.parse("echo ok\necho 'oops")
        }
    }
}
