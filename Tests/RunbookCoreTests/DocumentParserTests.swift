import Foundation
import Testing
@testable import RunbookCore

@Suite struct DocumentParserTests {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func parse(_ source: String, name: String = "doc") -> DocumentParser.Result {
        DocumentParser.parse(source, path: "docs/\(name).md", name: name)
    }

    @Test func everythingFixtureParsesIntoTheFullModel() throws {
        let result = Self.parse(try Self.fixture("Everything.md"), name: "everything")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let doc = result.document

        #expect(doc.frontMatter.title == "모든 기능")
        #expect(doc.frontMatter.owner == "backend-oncall")
        #expect(doc.frontMatter.reviewed == CalendarDate(year: 2026, month: 11, day: 27))
        #expect(doc.frontMatter.reviewEveryDays == 90)
        #expect(doc.frontMatter.dueDate == CalendarDate(year: 2027, month: 2, day: 25))
        #expect(doc.frontMatter.keyLines == ["title": 2, "owner": 3, "reviewed": 4, "review_every": 5])

        #expect(doc.headings == [
            Heading(level: 1, text: "모든 기능 문서", id: "모든-기능-문서", hasExplicitID: false, line: 8),
            Heading(level: 2, text: "API 서버 무응답", id: "api-down", hasExplicitID: true, line: 19),
            Heading(level: 3, text: "진단", id: "진단", hasExplicitID: false, line: 25),
            Heading(level: 3, text: "조치", id: "조치", hasExplicitID: false, line: 31),
            Heading(level: 2, text: "같은 제목", id: "같은-제목", hasExplicitID: false, line: 46),
            Heading(level: 2, text: "같은 제목", id: "같은-제목-1", hasExplicitID: false, line: 52),
        ])

        // Section tree: h1 holds three h2s; api-down holds the two h3s.
        #expect(doc.sections.count == 1)
        let top = doc.sections[0]
        #expect(top.children.map(\.heading.id) == ["api-down", "같은-제목", "같은-제목-1"])
        let apiDown = try #require(doc.section(id: "api-down"))
        #expect(apiDown.children.map(\.heading.id) == ["진단", "조치"])
        #expect(apiDown.steps.map(\.id) == ["health-before"])
        #expect(apiDown.allSteps.map(\.id) == ["health-before", "tasks", "redeploy", "rollback", "note"])

        let steps = doc.steps
        #expect(steps.map(\.id) == ["health-before", "tasks", "redeploy", "rollback", "note", "logs-tail"])
        #expect(steps[0] == Step(
            id: "health-before", hasExplicitID: true, language: "bash", kind: .diagnose, hasExplicitKind: true,
            timeoutSeconds: 10, confirm: false, condition: nil, skip: false,
            code: "curl -fsS --max-time 5 ${HEALTH_URL}\n", parameters: ["HEALTH_URL"], line: 21, sectionID: "api-down"))
        // No kind given, but the command only reads: diagnose, default timeout.
        #expect(steps[1].kind == .diagnose && !steps[1].hasExplicitKind)
        #expect(steps[1].timeoutSeconds == StepKind.diagnose.defaultTimeoutSeconds)
        #expect(steps[1].parameters == ["CLUSTER", "task-id"])
        #expect(steps[1].sectionID == "진단")
        #expect(steps[2].kind == .act && steps[2].confirm == false)
        #expect(steps[3].condition == StepCondition(outcome: .failed, stepID: "redeploy"))
        #expect(steps[3].timeoutSeconds == 300 && steps[3].confirm == true)
        #expect(steps[4].skip && steps[4].kind == .verify && steps[4].language == "console")
        // Derived id from the action; section with an auto id.
        #expect(steps[5].id == "logs-tail" && !steps[5].hasExplicitID && steps[5].sectionID == "같은-제목-1")

        #expect(doc.executableSections.map(\.heading.id) == ["api-down", "진단", "조치", "같은-제목-1"])
        #expect(doc.links == [DocLink(destination: "https://example.com", line: 10)])
        #expect(doc.title == "모든 기능")
    }

    @Test func markdownTreeKeepsTablesTaskListsAndStrikethrough() throws {
        let doc = Self.parse(try Self.fixture("Everything.md")).document
        var kinds: [String] = []
        func walk(_ n: MarkdownNode) {
            switch n.kind {
            case .table(let a): kinds.append("table\(a.count)")
            case .item(let task?): kinds.append(task ? "done" : "todo")
            case .strikethrough: kinds.append("del")
            default: break
            }
            n.children.forEach(walk)
        }
        walk(doc.body)
        #expect(kinds == ["del", "table3", "done", "todo"])
        // The explicit id never shows in the heading's text.
        #expect(!Self.collectText(doc.body).contains("{#api-down}"))
    }

    static func collectText(_ n: MarkdownNode) -> String {
        var s = ""
        if case .text(let t) = n.kind { s += t }
        for c in n.children { s += collectText(c) }
        return s
    }

    // MARK: - Bad input

    struct BadCase: Sendable, CustomStringConvertible {
        var name: String
        var source: String
        var line: Int
        var code: Diagnostic.Code
        var fragment: String
        var description: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "unterminated front matter", source: "---\ntitle: x\n\n# Body\n", line: 1,
                code: .unterminatedFrontMatter, fragment: "never closed"),
        BadCase(name: "bad YAML", source: "---\ntitle: x\nowner: [a, b\n---\n", line: 4, code: .badYAML, fragment: "not valid YAML"),
        BadCase(name: "unknown front-matter key", source: "---\ntitle: x\nowners: y\n---\n", line: 3,
                code: .unknownFrontMatterKey, fragment: "'owners'"),
        BadCase(name: "bad reviewed date", source: "---\nreviewed: 2026-13-01\n---\n", line: 2,
                code: .badFrontMatterValue, fragment: "YYYY-MM-DD"),
        BadCase(name: "unknown attribute", source: "# T\n\n```bash {id=a tiemout=5s}\necho\n```\n", line: 3,
                code: .unknownStepAttribute, fragment: "'tiemout'"),
        BadCase(name: "duplicate step id", source: "# T\n\n```bash {id=a}\necho\n```\n\n```bash {id=a}\necho\n```\n", line: 7,
                code: .duplicateStepID, fragment: "line 3"),
        BadCase(name: "duplicate heading id", source: "## One {#x}\n\n## Two {#x}\n", line: 3,
                code: .duplicateHeadingID, fragment: "'x'"),
        BadCase(name: "bad timeout", source: "# T\n\n\n```bash {timeout=soon}\necho\n```\n", line: 4,
                code: .badTimeout, fragment: "'soon'"),
        BadCase(name: "bad kind", source: "# T\n```bash {kind=fix}\necho\n```\n", line: 2,
                code: .badStepAttribute, fragment: "'fix'"),
        BadCase(name: "condition on a later step", source: "# T\n```bash {id=a if=failed:b}\necho\n```\n```bash {id=b}\necho\n```\n",
                line: 2, code: .badCondition, fragment: "'b'"),
        BadCase(name: "unclosed attribute brace", source: "# T\n```bash {id=a\necho\n```\n", line: 2,
                code: .badStepAttribute, fragment: "never closed"),
    ]

    @Test(arguments: badCases)
    func badInputGivesOneErrorWithItsLine(_ c: BadCase) {
        let result = Self.parse(c.source)
        #expect(result.errors.count == 1, "\(result.errors)")
        let d = result.errors.first
        #expect(d?.line == c.line)
        #expect(d?.code == c.code)
        #expect(d?.file == "docs/doc.md")
        #expect(d?.message.contains(c.fragment) == true, "\(d?.message ?? "")")
    }

    @Test func parseOrThrowReportsFileAndLine() {
        #expect(throws: DiagnosticsError.self) {
            try DocumentParser.parseOrThrow("---\ntitle: x\n", path: "docs/x.md", name: "x")
        }
        do {
            _ = try DocumentParser.parseOrThrow("---\nfoo: 1\n---\n", path: "docs/x.md", name: "x")
        } catch {
            #expect(error.description.hasPrefix("docs/x.md:2: error: unknown front-matter key 'foo'"))
        }
    }

    @Test func oddInputNeverCrashes() {
        let inputs = ["", "---", "---\n---", "```bash {", "```bash {id=}\n```", "# {#}", "## {#a}\n## {#a}",
                      String(repeating: "#", count: 10_000), "\u{FEFF}---\ntitle: t\n---\n# x", "```console\n$ \\\n```"]
        for input in inputs {
            _ = Self.parse(input)
        }
        let invalidUTF8 = String(decoding: [0x23, 0x20, 0xFF, 0xFE, 0x0A], as: UTF8.self)
        let r = Self.parse(invalidUTF8)
        #expect(r.document.headings.first?.text == "\u{FFFD}\u{FFFD}")
    }

    @Test func headingWithOnlyAnExplicitIDKeepsNoText() {
        let doc = Self.parse("## {#only-id}\n").document
        #expect(doc.headings.first?.id == "only-id")
        #expect(doc.headings.first?.text == "")
    }
}
