/// The site's search index: every section of every doc, and for each term the sections holding it.
///
/// Written as `search-index.js`, a script that sets `window.RUNBOOK_SEARCH`, because browsers
/// refuse `fetch()` of a JSON file on a site opened from disk (`file://`). Terms are words
/// (letters and digits, lowercased) and, for Hangul, bigrams of adjacent syllables, so `롤백`
/// finds `롤백은` and `대시보드` finds `대시보드를`. `site.js` tokenizes queries the same way.
struct SearchIndex {
    /// One searchable section: its heading (or the doc's opening text) and the words under it.
    struct Entry: Sendable {
        var id: String
        var heading: String
        var excerpt: String
        var terms: [String]
    }

    /// The longest word kept as a term, in Unicode scalars (longer words are cut, queries still match by prefix).
    static let maxTermLength = 40
    static let excerptLength = 120

    // MARK: - Sections

    /// The sections of `doc` in order, with their terms.
    static func entries(of doc: RunbookDocument) -> [Entry] {
        var collector = SectionCollector(headings: doc.headings, title: doc.title)
        for child in doc.body.children { collector.walk(child) }
        collector.flush()
        return collector.entries
    }

    private struct SectionCollector {
        let headings: [Heading]
        var entries: [Entry] = []
        var nextHeading = 0
        var id = ""
        var heading: String
        var prose = ""
        var all = ""

        init(headings: [Heading], title: String) {
            self.headings = headings
            self.heading = title
        }

        mutating func flush() {
            let excerpt = SearchIndex.excerpt(prose)
            let terms = SearchIndex.terms(in: heading + " " + all)
            // The text before the first heading counts only when it says something.
            let isPreamble = nextHeading == 0
            if !(isPreamble && all.allSatisfy(\.isWhitespace)) {
                entries.append(Entry(id: id, heading: heading, excerpt: excerpt, terms: terms))
            }
            prose = ""
            all = ""
        }

        mutating func walk(_ node: MarkdownNode) {
            switch node.kind {
            case .heading:
                flush()
                let h = nextHeading < headings.count ? headings[nextHeading] : nil
                nextHeading += 1
                id = h?.id ?? ""
                heading = h?.text ?? node.plainText
            case .codeBlock(_, let literal):
                all += literal
                all += " "
            case .text(let s), .code(let s):
                prose += s
                all += s
            case .softBreak, .lineBreak:
                prose += " "
                all += " "
            case .htmlBlock, .htmlInline:
                break
            default:
                for child in node.children { walk(child) }
                switch node.kind {
                case .paragraph, .item, .tableCell, .tableRow, .blockQuote, .list, .table:
                    prose += " "
                    all += " "
                default: break
                }
            }
        }
    }

    static func excerpt(_ text: String) -> String {
        var out = ""
        var count = 0
        var lastWasSpace = true
        for ch in text {
            if ch.isWhitespace {
                if lastWasSpace { continue }
                lastWasSpace = true
                out.append(" ")
            } else {
                lastWasSpace = false
                out.append(ch)
            }
            count += 1
            if count >= excerptLength {
                return out.trimmed + "…"
            }
        }
        return out.trimmed
    }

    // MARK: - Terms

    static func isHangulSyllable(_ s: Unicode.Scalar) -> Bool { (0xAC00...0xD7A3).contains(s.value) }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s == "_" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The distinct terms of `text`, in order of first appearance.
    static func terms(in text: String) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        func add(_ scalars: ArraySlice<Unicode.Scalar>) {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars.prefix(maxTermLength))
            let term = String(s)
            if seen.insert(term).inserted { out.append(term) }
        }
        var run: [Unicode.Scalar] = []
        var runIsHangul = false
        func endRun() {
            defer { run.removeAll(keepingCapacity: true) }
            if runIsHangul {
                if run.count == 1 { add(run[...]) } else {
                    for i in 0..<(run.count - 1) { add(run[i...(i + 1)]) }
                }
            } else if run.count >= 2 {
                add(run[...])
            }
        }
        for scalar in text.lowercased().unicodeScalars {
            let hangul = isHangulSyllable(scalar)
            if hangul || isWordScalar(scalar) {
                if !run.isEmpty && hangul != runIsHangul { endRun() }
                runIsHangul = hangul
                run.append(scalar)
            } else if !run.isEmpty {
                endRun()
            }
        }
        if !run.isEmpty { endRun() }
        return out
    }

    // MARK: - Output

    /// `search-index.js` for `docs` (in site order): deterministic, one record per line.
    static func javascript(docs: [RunbookDocument]) -> String {
        let perDoc = docs.parallelMap { entries(of: $0) }
        var postings: [String: [Int]] = [:]
        var out = "/* Generated by runbook build: the search index read by site.js. */\nwindow.RUNBOOK_SEARCH = {\n\"docs\": [\n"
        for (i, doc) in docs.enumerated() {
            out += "[\(json(SitePaths.href(forPage: SitePaths.page(for: doc.name)))),\(json(doc.title))]\(i + 1 < docs.count ? "," : "")\n"
        }
        out += "],\n\"sections\": [\n"
        var index = 0
        let total = perDoc.reduce(0) { $0 + $1.count }
        for (d, entries) in perDoc.enumerated() {
            for e in entries {
                for t in e.terms { postings[t, default: []].append(index) }
                index += 1
                out += "[\(d),\(json(e.id)),\(json(e.heading)),\(json(e.excerpt))]\(index < total ? "," : "")\n"
            }
        }
        // Sorted by UTF-16 code units: the order of JavaScript's `<`, which site.js binary-searches with.
        let keys = postings.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        out += "],\n\"keys\": [\n"
        for (i, k) in keys.enumerated() {
            out += json(k)
            out += i + 1 < keys.count ? (i % 20 == 19 ? ",\n" : ",") : "\n"
        }
        // Postings are gaps between ascending section numbers: small numbers, a smaller file.
        out += "],\n\"postings\": [\n"
        for (i, k) in keys.enumerated() {
            var previous = 0
            out += "["
            for (j, s) in (postings[k] ?? []).enumerated() {
                if j > 0 { out += "," }
                out += String(s - previous)
                previous = s
            }
            out += i + 1 < keys.count ? "],\n" : "]\n"
        }
        out += "]\n};\n"
        return out
    }

    /// A JSON string literal that is also safe inside an HTML `<script>` element.
    static func json(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
