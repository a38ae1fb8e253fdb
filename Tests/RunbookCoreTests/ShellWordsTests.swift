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

    /// Every parameter is found with where it sits: what the rewriter needs to make its value one word.
    @Test func parametersKnowWhereTheySit() throws {
        let text = #"echo ${A} "x ${B}" 'lit <c>' $(echo ${D}) "$(printf %s <e>)" ${X:-${F}} \${G} # see ${H}"#
        let script = try ShellWords.parse(text)
        let found = script.parameters.map { "\($0.parameterName ?? "")=\($0.quoting)" }
        #expect(found == ["A=unquoted", "B=doubleQuoted", "c=singleQuoted", "D=unquoted", "e=unquoted", "F=unquoted", "H=comment"])
        #expect(script.parameters.allSatisfy { text[$0.range] == $0.written })
        #expect(script.parameterNames == ["A", "B", "c", "D", "e", "F", "H"])
        // `\${G}` is an escaped dollar: bash prints it as written, so it is no parameter.
        #expect(!script.parameterNames.contains("G"))
        #expect(script.substitutedCommands.map { $0.words.map(\.text) } == [["echo", "${D}"], ["printf", "%s", "<e>"]])
    }

    @Test func hereDocumentBodiesAreReadForParameters() throws {
        let text = "cat <<EOF\n${A} it's $(date +%Y)\nEOF\ncat <<-'SQL'\n\tselect '<b>', $(x);\n\tSQL\necho done ${C}"
        let script = try ShellWords.parse(text)
        #expect(script.commands.map { $0.words.first?.text } == ["cat", "cat", "echo"])
        #expect(script.parameters.map { "\($0.parameterName ?? "")=\($0.quoting)" }
            == ["A=heredocBody(expands: true)", "b=heredocBody(expands: false)", "C=unquoted"])
        // `$(x)` in the quoted body is text, not an expansion; `$(date +%Y)` in the other is one.
        #expect(script.occurrences.filter { $0.kind == .expansion }.map(\.written) == ["$(date +%Y)"])
        let docs = script.heredocs
        #expect(docs.map(\.delimiter) == ["EOF", "SQL"])
        #expect(docs.map(\.isQuoted) == [false, true])
        #expect(docs.map { String(text[$0.delimiterRange]) } == ["EOF", "'SQL'"])
        #expect(docs.map { String(text[$0.bodyRange]) } == ["${A} it's $(date +%Y)\n", "\tselect '<b>', $(x);\n"])
        #expect(docs.map { $0.terminatorRange.map { String(text[$0]) } } == ["EOF", "SQL"])
        #expect(script.commands.last?.line == 7)
    }

    /// `$'...'` quotes outside quotes only; in "..." and here-document bodies `$'` is plain text.
    @Test func ansiCQuotesOnlyOutsideQuotes() throws {
        let script = try ShellWords.parse("echo $'<a> \\'' \"$'<b>'\" \ncat <<EOF\n$'<c>\nEOF")
        #expect(script.parameters.map { "\($0.parameterName ?? "")=\($0.quoting)" }
            == ["a=ansiCQuoted", "b=doubleQuoted", "c=heredocBody(expands: true)"])
    }

    /// The inside of `$(...)` is shell text: a `)` in quotes or a comment does not close it.
    @Test func commandSubstitutionsAreReadAsShell() throws {
        let script = try ShellWords.parse("echo \"$(printf ')' # not the end )\n)\" next\necho after")
        #expect(script.commands.map { $0.words.first?.text } == ["echo", "echo"])
        #expect(script.commands.first?.words.count == 3)
        #expect(script.commands.last?.line == 3)
    }

    @Test func commandRangesPointIntoTheText() throws {
        let text = "a x | b 'y z'\n  c"
        let script = try ShellWords.parse(text)
        #expect(script.commands.map { String(text[$0.range]) } == ["a x", "b 'y z'", "c"])
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let text = String(repeating: "$(", count: 20_000) + String(repeating: ")", count: 20_000)
        #expect(throws: ShellWords.ParseError.self) { try ShellWords.parse(text) }
        #expect(throws: ShellWords.ParseError.self) { try ShellWords.parse(String(repeating: "${A:-", count: 20_000)) }
    }

    @Test func aPrefixIsReadUpToTheProblem() {
        let (script, error) = ShellWords.parsePrefix("aws ecs update-service --cluster ${CLUSTER}\necho 'oops")
        #expect(error == ShellWords.ParseError(line: 2, message: "a single quote (') is never closed"))
        #expect(script.commands.first?.words.map(\.text) == ["aws", "ecs", "update-service", "--cluster", "${CLUSTER}"])
        #expect(script.parameterNames == ["CLUSTER"])
    }

    @Test func unclosedQuoteNamesTheLine() {
        #expect(throws: ShellWords.ParseError(line: 2, message: "a single quote (') is never closed")) {
            try ShellWords.parse("echo ok\necho 'oops")
        }
    }
}
