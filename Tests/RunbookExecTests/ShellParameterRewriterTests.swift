import Foundation
import RunbookCore
import Testing
import TestSupport
@testable import RunbookExec

/// A parameter's value reaches bash as exactly one word wherever the doc writes the parameter:
/// never split, globbed or read as shell. These run the rewritten text through bash.
@Suite("Shell parameter rewriter")
struct ShellParameterRewriterTests {
    /// Spaces, a glob, both quotes, a command substitution, and a line that closes a here-document.
    static let hostile = "a  * \"b' $(touch MARKER) `touch MARKER`\nEOF\nz"

    static func bash(_ script: String, environment: [String: String], in dir: TempDir) async throws -> ProcessRunner.Result {
        try await ProcessRunner.run("bash", ["-c", script], environment: environment, directory: URL(fileURLWithPath: dir.path))
    }

    @Test func everyPlaceGetsTheValueAsOneWord() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let code = """
            # a comment with ${V} and an apostrophe: it's fine
            printf '[%s]\\n' ${V} "${V}" 'single <v> quoted' "$(printf %s ${V})" ${UNSET_XYZ:-${V}}
            A=${V}; printf '[%s]\\n' "$A" $'ansi\\t<v> \\'q\\''
            cat <<< ${V}
            cat <<EOF
            [${V}] it's
            EOF
            cat <<'EOF'
            [<v>] $HOME `x` \\n stays
            EOF
            """
        let script = try ShellParameterRewriter.rewrite(code)
        let result = try await Self.bash(script, environment: ["RUNBOOK_PARAM_V": Self.hostile], in: dir)
        let v = Self.hostile
        #expect(result.stderr == "")
        #expect(result.stdout == """
            [\(v)]
            [\(v)]
            [single \(v) quoted]
            [\(v)]
            [\(v)]
            [\(v)]
            [ansi\t\(v) 'q']
            \(v)
            [\(v)] it's
            [\(v)] $HOME `x` \\n stays

            """)
        #expect(!FileManager.default.fileExists(atPath: dir.file("MARKER")))
    }

    /// The old rewriter left every unquoted parameter of a block with `<<` anywhere in it
    /// unquoted, so bash split the value into words: here, `find` options that run a command.
    @Test func aHereDocumentElsewhereDoesNotLetAValueBecomeArguments() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("d"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir.file("d/n"), contents: Data())
        let marker = dir.file("MARKER")
        let code = """
            cat <<EOF
            searching ${DIR}
            EOF
            find ${DIR} -name ${PATTERN}
            """
        let config = try RunbookConfig.parse("[site]\ntitle = \"t\"\ndocs = \"docs\"\n\n[env.test]\nregion = \"ap-northeast-2\"\n")
        let plan = SectionPlan(docPath: "docs/t.md", docName: "t", sectionID: "s", title: "t",
                               steps: [try SectionPlanner.plan(step: makeStep(code, id: "find", kind: .act))])
        let binder = PlanBinder(config: config, environment: try config.environment("test"),
                                sets: [("DIR", dir.file("d")), ("PATTERN", "n -o -exec touch \(marker) ;")])
        let bound = try await binder.bind(plan, selection: ["find"], resolve: false)
        guard case .shell(let script, _) = try #require(bound.steps.first?.commands.first).action else {
            Issue.record("the block is not one shell command")
            return
        }
        let result = try await Self.bash(script, environment: bound.shellEnvironment, in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "searching \(dir.file("d"))\n")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func aQuotedHereDocumentExpandsOnlyItsParameters() throws {
        #expect(try ShellParameterRewriter.rewrite("psql <<'SQL'\nselect '<job-id>', '$1', `x`, '\\n';\nSQL\necho <job-id>")
            == "psql <<SQL\nselect '${RUNBOOK_PARAM_JOB_ID}', '\\$1', \\`x\\`, '\\\\n';\nSQL\necho \"${RUNBOOK_PARAM_JOB_ID}\"")
        // A delimiter that needs its quotes is replaced, on both lines.
        #expect(try ShellParameterRewriter.rewrite("cat <<-'END HERE'\n\t<x>\n\tEND HERE\n")
            == "cat <<-RUNBOOK_EOF\n\t${RUNBOOK_PARAM_X}\n\tRUNBOOK_EOF\n")
        // Without a parameter in it, a quoted here-document is left as written.
        #expect(try ShellParameterRewriter.rewrite("cat <<'EOF'\n$HOME\nEOF\necho ${X}") == "cat <<'EOF'\n$HOME\nEOF\necho \"${RUNBOOK_PARAM_X}\"")
    }

    /// An apostrophe in a comment or a here-document body threw the old quote tracking off: the
    /// parameters after it were written for single quotes and reached bash as literal text.
    @Test func apostrophesOutsideQuotesDoNotChangeTheQuoting() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let code = "# it's the cluster\necho ${CLUSTER}\ncat <<EOF\nit's ${CLUSTER}\nEOF\necho \"${CLUSTER}\""
        let result = try await Self.bash(try ShellParameterRewriter.rewrite(code), environment: ["RUNBOOK_PARAM_CLUSTER": "c 1"], in: dir)
        #expect(result.stdout == "c 1\nit's c 1\nc 1\n")
    }

    /// Random shell-ish text: the tokenizer's ranges point at what it read, and a rewrite of
    /// text that parses parses too.
    @Test func hostileTextKeepsTheRewriteReadable() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let atoms = ["a", " ", "\n", "\t", "'", "\"", "\\", "$", "(", ")", "{", "}", "`", "#", "<", ">", "|", ";", "&", "*", "~", "=",
                     "${X}", "<t-id>", "<<EOF\n", "EOF", "<<'Q'\n", "Q", "$(", "${A:-", "$'", "<<<", "2>&1"]
        for _ in 0..<5_000 {
            let text = (0..<(next() % 24)).map { _ in atoms[next() % atoms.count] }.joined()
            guard let script = try? ShellWords.parse(text) else { continue }
            #expect(script.occurrences.allSatisfy { text[$0.range] == $0.written }, "\(text.debugDescription)")
            #expect(script.commands.allSatisfy { text[$0.range] == $0.source }, "\(text.debugDescription)")
            let rewritten = try ShellParameterRewriter.rewrite(text)
            #expect((try? ShellWords.parse(rewritten)) != nil, "\(text.debugDescription) -> \(rewritten.debugDescription)")
        }
    }

    @Test func textThatDoesNotParseIsRefused() {
        #expect(throws: ShellWords.ParseError(line: 2, message: "a single quote (') is never closed")) {
            try ShellParameterRewriter.rewrite("echo ${X}\necho 'oops")
        }
    }
}
