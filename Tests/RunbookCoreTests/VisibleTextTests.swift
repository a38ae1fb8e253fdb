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

    /// The lines as a scalar-by-scalar reading finds them (what hidingLines did before it read bytes).
    static func referenceLines(_ text: String) -> [(Int, String)] {
        var found: [(Int, String)] = []
        var line = 1
        var reported = false
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            if s == "\n" {
                line += 1
                reported = false
                continue
            }
            guard !reported, VisibleText.isHiding(s), s.value != 0 else { continue }
            if s == "\r", i + 1 == scalars.count || scalars[i + 1] == "\n" { continue }
            found.append((line, VisibleText.spelled(s)))
            reported = true
        }
        return found
    }

    @Test("reading bytes finds the same lines as reading scalars",
          arguments: [
              "plain\n한글 → … – ‘따옴표’ ™\n", "c1 \u{85} and \u{9F}\n", "arabic mark \u{61C}\n", "lrm \u{200E} rlm \u{200F}\n",
              "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\n\u{2066}\u{2067}\u{2068}\u{2069}", "crlf\r\nend cr\r", "mid\rcr\n",
              "nul \u{0} only\n", "del \u{7F}\ntab\tok\n\u{1B}", "two \u{1B} \u{202E} on a line\n\u{2028}\u{2029}\u{FEFF}\n",
          ])
    func bytesMatchScalars(text: String) {
        let lines = VisibleText.hidingLines(in: text)
        let reference = Self.referenceLines(text)
        #expect(lines.map(\.line) == reference.map(\.0))
        #expect(lines.map(\.spelled) == reference.map(\.1))
        #expect(VisibleText.escaped(text) == text || text.unicodeScalars.contains(where: VisibleText.isHiding))
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
