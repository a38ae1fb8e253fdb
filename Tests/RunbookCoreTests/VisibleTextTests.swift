import Testing
@testable import RunbookCore

@Suite("Visible text: control and bidi characters spelled out")
struct VisibleTextTests {
    @Test func spellsOutWhatCanHideText() {
        #expect(VisibleText.escaped("a\u{1B}[1Ab") == "a\\x1b[1Ab")
        #expect(VisibleText.escaped("x\u{202E}y\u{2066}z") == "x\\u202ey\\u2066z")
        #expect(VisibleText.escaped("nul\u{0}del\u{7F}c1\u{85}") == "nul\\x00del\\x7fc1\\x85")
        #expect(VisibleText.escaped("safe\rrm -rf /") == "safe\\x0drm -rf /")
        #expect(VisibleText.escaped("tabs\tand\nlines\r\nstay, 한글도") == "tabs\tand\nlines\r\nstay, 한글도")
    }

    @Test func namesTheLines() {
        let lines = VisibleText.hidingLines(in: "ok\nbad \u{1B}[2K\nfine\r\nrtl \u{202E}x\n")
        #expect(lines.map(\.line) == [2, 4])
        #expect(lines.map(\.spelled) == ["\\x1b", "\\u202e"])
    }

    @Test func jsonKeepsItsValueButShowsTheEscape() {
        #expect(VisibleText.jsonEscaped("{\"a\":\"x\u{202E}y\"}") == "{\"a\":\"x\\u202ey\"}")
    }

    @Test("a doc holding one is an error at its line")
    func docDiagnostic() {
        let result = DocumentParser.parse("# T\n\n```bash {id=x kind=diagnose}\necho hi\u{1B}[1A\n```\n", path: "docs/t.md", name: "t")
        #expect(result.errors.contains { $0.line == 4 && $0.code == .hiddenCharacters && $0.message.contains("\\x1b") })
    }
}
