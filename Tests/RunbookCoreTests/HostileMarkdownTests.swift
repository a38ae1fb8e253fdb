import Testing
@testable import RunbookCore

/// Markdown written to break the parser: each case finishes, with an error at its line where the
/// doc is at fault, and the tree it gives is shallow enough for any recursive walk.
@Suite("Hostile markdown")
struct HostileMarkdownTests {
    /// The depth of the deepest node (the document is 0), found without recursing.
    static func depth(_ root: MarkdownNode) -> Int {
        var deepest = 0
        var pending: [(MarkdownNode, Int)] = [(root, 0)]
        while let (node, depth) = pending.popLast() {
            deepest = max(deepest, depth)
            for child in node.children { pending.append((child, depth + 1)) }
        }
        return deepest
    }

    static let deepDocs: [(label: String, markdown: String)] = [
        ("10,000 nested list items", String(repeating: "- ", count: 10_000) + "x\n"),
        ("20,000 nested quotes", String(repeating: ">", count: 20_000) + " x\n"),
        ("50,000 nested emphasis markers", String(repeating: "*", count: 50_000) + "x" + String(repeating: "*", count: 50_000) + "\n"),
        ("25,000 nested emphases", String(repeating: "*a ", count: 25_000) + "x" + String(repeating: "*", count: 25_000) + "\n"),
        ("a link holding 20,000 nested emphases", "[" + String(repeating: "_a ", count: 20_000) + "x" + String(repeating: "_", count: 20_000) + "](#top)\n"),
    ]

    @Test("deep nesting is cut at maxDepth with an error at its line; what comes before and after is kept",
          arguments: deepDocs.map(\.label))
    func deepNestingIsCut(label: String) throws {
        let markdown = try #require(Self.deepDocs.first { $0.label == label }).markdown
        let source = "# Top\n\nbefore\n\n" + markdown + "\nafter\n"
        let result = DocumentParser.parse(source, path: "docs/deep.md", name: "deep")
        let errors = result.errors.filter { $0.code == .nestedTooDeep }
        #expect(errors.count == 1)
        #expect(errors.first?.line == 5)
        #expect(errors.first?.description.hasPrefix("docs/deep.md:5: error: markdown nested more than 128 levels deep") == true)
        let body = result.document.body
        #expect(Self.depth(body) <= CommonMarkConverter.maxDepth)
        #expect(body.plainText.contains("before"))
        #expect(body.plainText.hasSuffix("after"))
    }

    @Test("nesting up to maxDepth is kept whole, with no diagnostic")
    func nestingAtTheLimitIsKept() {
        // document > paragraph > 126 emphases > text: the text is at depth 128.
        let emphases = CommonMarkConverter.maxDepth - 2
        let markdown = String(repeating: "*a ", count: emphases) + "x" + String(repeating: "*", count: emphases) + "\n"
        let parsed = CommonMarkConverter.parse(markdown)
        #expect(parsed.problems.isEmpty)
        #expect(Self.depth(parsed.document) == CommonMarkConverter.maxDepth)
        #expect(parsed.document.plainText == String(repeating: "a ", count: emphases) + "x")

        let deeper = CommonMarkConverter.parse(String(repeating: "*a ", count: emphases + 1) + "x" + String(repeating: "*", count: emphases + 1))
        #expect(deeper.problems == [.nestedTooDeep(line: 1)])
    }

    @Test("a table, task list, strikethrough and footnote convert as before the walk became a loop")
    func conversionKeepsEveryKind() {
        let parsed = CommonMarkConverter.parse("| a | b |\n|:-|-:|\n| `c` | ~~d~~ |\n\n- [x] done\n- [ ] todo\n- plain\n\n1. one\n\n> q[^1]\n\n[^1]: note\n")
        #expect(parsed.problems.isEmpty)
        let kinds = parsed.document.children.map(\.kind)
        #expect(kinds.first == .table(alignments: [.left, .right]))
        let items = parsed.document.children[1].children.map(\.kind)
        #expect(items == [.item(task: true), .item(task: false), .item(task: nil)])
        #expect(parsed.document.children[2].kind == .list(ordered: true, start: 1, tight: true))
        #expect(parsed.document.children[0].children[1].children[1].children.first?.kind == .strikethrough)
    }
    @Test("the line of the first byte that is not UTF-8: stray, overlong, surrogate, cut short; none in valid text",
          arguments: [
              ([0xFF], 3), ([0xC0, 0xAF], 3), ([0xED, 0xA0, 0x80], 3), ([0xE2, 0x82], 3), ([0xF4, 0x90, 0x80, 0x80], 3),
          ] as [([UInt8], Int)])
    func firstInvalidUTF8Line(bad: [UInt8], line: Int) {
        let bytes = Array("# 제목\n\n본문 ".utf8) + bad + Array(" 끝\n\(String(repeating: "x\n", count: 3))".utf8) + [0xFF]
        #expect(DocumentParser.firstInvalidUTF8Line(bytes) == line)
        let result = DocumentParser.parse(bytes: bytes, path: "docs/bad.md", name: "bad")
        #expect(result.diagnostics.filter { $0.code == .invalidUTF8 }.map(\.line) == [line])
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning })
        #expect(result.document.body.plainText.contains("본문 \u{FFFD}"))
    }

    @Test func validUTF8HasNoWarning() {
        let bytes = Array("# 제목 \u{FFFD} 😀\n".utf8)
        #expect(DocumentParser.firstInvalidUTF8Line(bytes) == nil)
        #expect(DocumentParser.parse(bytes: bytes, path: "docs/ok.md", name: "ok").diagnostics.isEmpty)
    }
    // MARK: - Tables

    static func table(rows: Int, columns: Int, cell: (Int, Int) -> String) -> String {
        var text = "|" + (0..<columns).map { "h\($0)" }.joined(separator: "|") + "|\n"
        text += "|" + Array(repeating: "---", count: columns).joined(separator: "|") + "|\n"
        for r in 0..<rows { text += "|" + (0..<columns).map { cell(r, $0) }.joined(separator: "|") + "|\n" }
        return text
    }

    static func hasTable(_ node: MarkdownNode) -> Bool {
        var pending = [node]
        while let n = pending.popLast() {
            if case .table = n.kind { return true }
            pending += n.children
        }
        return false
    }

    @Test("a 5,000 x 200 table is within budget")
    func bigTableWithinBudget() {
        let text = Self.table(rows: 5_000, columns: 200) { r, c in "\(r).\(c)" }
        #expect(TableCellBudget.problem(in: Array(text.utf8)) == nil)
    }

    /// A problem's kind and line (the cell count it gives is an upper bound, not asserted).
    static func place(_ problem: MarkdownProblem) -> String {
        switch problem {
        case .nestedTooDeep(let line): return "nested:\(line)"
        case .tableTooLarge(let line, _): return "cells:\(line)"
        case .tableRowTooWide(let line, _): return "row:\(line)"
        }
    }

    static let overBudget: [(label: String, markdown: String, problem: MarkdownProblem)] = [
        // 42 KB: cmark-gfm would fill 1,000 one-word rows to 10,000 columns.
        ("a 10,000-column header", "# T\n\n|" + String(repeating: "a|", count: 10_000) + "\n|" + String(repeating: "-|", count: 10_000) + "\n" + String(repeating: "x\n", count: 1_000),
         .tableRowTooWide(line: 3, cells: 10_002)),
        // 900 columns are a fine row, but 2,500 rows of them are 2.25 million cells.
        ("900 columns by 2,500 short rows", "# T\n\n|" + String(repeating: "a|", count: 900) + "\n|" + String(repeating: "-|", count: 900) + "\n" + String(repeating: "x\n", count: 2_500),
         .tableTooLarge(line: 3, cells: 2_000_000)),
        ("a row of 40,000 cells", "|a|b|\n|-|-|\n" + String(repeating: "|x", count: 40_000) + "|\n",
         .tableRowTooWide(line: 3, cells: 40_002)),
        ("a paragraph of wide lines above a delimiter row", String(repeating: String(repeating: "|x", count: 2_000) + "\n", count: 3) + "a|b\n|-|-|\n",
         .tableRowTooWide(line: 1, cells: 2_001)),
    ]

    @Test("tables that would cost cmark-gfm too much: an error at the table's line; the doc is read without tables",
          arguments: overBudget.map(\.label))
    func tableOverBudget(label: String) throws {
        let (_, markdown, problem) = try #require(Self.overBudget.first { $0.label == label })
        let parsed = CommonMarkConverter.parse(markdown)
        #expect(parsed.problems.map(Self.place) == [Self.place(problem)])
        #expect(!Self.hasTable(parsed.document))
        let result = DocumentParser.parse(markdown, path: "docs/t.md", name: "t")
        let errors = result.errors.filter { $0.code == .tableTooLarge }
        #expect(errors.count == 1)
        #expect(errors.map { "\($0.line)" } == [String(Self.place(problem).split(separator: ":")[1])])
    }

    @Test("ordinary tables, in quotes and lists too, and delimiter-like lines in prose are within budget")
    func ordinaryTables() {
        let text = "| a | b |\n|:-|-:|\n| 1 | 2 |\n\n> | q |\n> |---|\n> | x |\n\n- | l | m |\n  | - | - |\n  | y | z |\n\n---\n\n1. -|-\n"
        let parsed = CommonMarkConverter.parse(text)
        #expect(parsed.problems.isEmpty)
        #expect(Self.hasTable(parsed.document))
    }
}
