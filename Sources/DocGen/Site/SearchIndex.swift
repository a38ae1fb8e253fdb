import RunbookCore
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
        var terms: Terms
    }

    /// A section's distinct terms: Hangul bigrams as two scalars packed in an integer (cheap to
    /// hash, and there are many), words (and lone Hangul syllables) as strings.
    struct Terms: Sendable {
        var bigrams: [UInt64] = []
        var words: [String] = []

        static func bigram(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> UInt64 { UInt64(a.value) << 32 | UInt64(b.value) }

        static func string(ofBigram key: UInt64) -> String {
            var s = String.UnicodeScalarView()
            if let a = Unicode.Scalar(UInt32(truncatingIfNeeded: key >> 32)), let b = Unicode.Scalar(UInt32(truncatingIfNeeded: key)) {
                s.append(a)
                s.append(b)
            }
            return String(s)
        }

        /// Every term as the string the index writes.
        var all: [String] { words + bigrams.map(Self.string(ofBigram:)) }
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
        var tokenizer = TermTokenizer()
        var hasText = false

        init(headings: [Heading], title: String) {
            self.headings = headings
            self.heading = title
            tokenizer.feed(title)
            tokenizer.boundary()
        }

        mutating func flush() {
            // The text before the first heading counts only when it says something.
            let terms = tokenizer.finish()
            if nextHeading > 0 || hasText {
                entries.append(Entry(id: id, heading: heading, excerpt: SearchIndex.excerpt(prose), terms: terms))
            }
            prose = ""
            hasText = false
        }

        mutating func walk(_ node: MarkdownNode) {
            switch node.kind {
            case .heading:
                flush()
                let h = nextHeading < headings.count ? headings[nextHeading] : nil
                nextHeading += 1
                id = h?.id ?? ""
                heading = h?.text ?? node.plainText
                tokenizer.feed(heading)
                tokenizer.boundary()
            case .codeBlock(_, let literal):
                tokenizer.feed(literal)
                tokenizer.boundary()
                hasText = true
            case .text(let s), .code(let s):
                // The excerpt needs only its first sentences.
                if prose.utf8.count < SearchIndex.excerptLength * 4 { prose += s }
                tokenizer.feed(s)
                hasText = true
            case .softBreak, .lineBreak:
                prose += " "
                tokenizer.boundary()
            case .htmlBlock, .htmlInline:
                break
            default:
                for child in node.children { walk(child) }
                switch node.kind {
                case .paragraph, .item, .tableCell, .tableRow, .blockQuote, .list, .table:
                    prose += " "
                    tokenizer.boundary()
                default: break
                }
            }
        }
    }

    /// The first ``excerptLength`` characters of `text`, whitespace runs collapsed to one space.
    static func excerpt(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = count > 0
                continue
            }
            if pendingSpace {
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            if count >= excerptLength {
                out.append("…")
                break
            }
            out.append(scalar)
            count += 1
        }
        return String(out)
    }

    // MARK: - Terms

    static func isHangulSyllable(_ s: Unicode.Scalar) -> Bool { (0xAC00...0xD7A3).contains(s.value) }

    static func isASCIIWord(_ v: UInt32) -> Bool {
        (0x61...0x7A).contains(v) || (0x41...0x5A).contains(v) || (0x30...0x39).contains(v) || v == 0x5F
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? (s.value == 0x20 || (0x09...0x0D).contains(s.value)) : s.properties.isWhitespace
    }

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

    /// The distinct terms of `text`, as the index writes them.
    static func terms(in text: String) -> [String] { termSet(in: text).all }

    /// The distinct terms of `text`: lowercased words of two or more letters or digits; for
    /// Hangul, every pair of adjacent syllables (a lone syllable as itself).
    static func termSet(in text: String) -> Terms {
        var tokenizer = TermTokenizer()
        tokenizer.feed(text)
        return tokenizer.finish()
    }

    /// Splits text into search terms as it is fed, piece by piece (text nodes of one paragraph
    /// join into one run, as the reader sees them), keeping each term once.
    ///
    /// Reads UTF-8 bytes: ASCII and Hangul syllables (most of the text) never go through
    /// Unicode property tables; other scalars do.
    struct TermTokenizer {
        private var terms = Terms()
        private var seenBigrams: Set<UInt64> = []
        private var seenWords: Set<String> = []
        private var word: [UInt8] = []
        private var wordScalars = 0
        private var hangul: [UInt32] = []

        /// The terms so far; starts over for the next section (buffers are kept for reuse).
        mutating func finish() -> Terms {
            boundary()
            let out = terms
            terms = Terms()
            seenBigrams.removeAll(keepingCapacity: true)
            seenWords.removeAll(keepingCapacity: true)
            return out
        }

        /// Ends the current word or Hangul run (a space, a line or block break).
        mutating func boundary() {
            if wordScalars > 0 { endWord() }
            if !hangul.isEmpty { endHangul() }
        }

        private mutating func endWord() {
            if wordScalars >= 2 {
                let w = String(decoding: word, as: UTF8.self)
                if seenWords.insert(w).inserted { terms.words.append(w) }
            }
            word.removeAll(keepingCapacity: true)
            wordScalars = 0
        }

        private mutating func endHangul() {
            if hangul.count == 1 {
                let w = String(decoding: SearchIndex.encode(hangul[0]), as: UTF8.self)
                if seenWords.insert(w).inserted { terms.words.append(w) }
            } else {
                for i in 0..<(hangul.count - 1) {
                    let key = UInt64(hangul[i]) << 32 | UInt64(hangul[i + 1])
                    if seenBigrams.insert(key).inserted { terms.bigrams.append(key) }
                }
            }
            hangul.removeAll(keepingCapacity: true)
        }

        private mutating func addToWord(_ scalar: Unicode.Scalar) {
            if !hangul.isEmpty { endHangul() }
            guard wordScalars < SearchIndex.maxTermLength else { return }
            word.append(contentsOf: SearchIndex.encode(scalar.value))
            wordScalars += 1
        }

        mutating func feed(_ text: String) {
            let bytes = text.utf8
            var i = bytes.startIndex
            while i < bytes.endIndex {
                let b = bytes[i]
                if b < 0x80 {
                    i = bytes.index(after: i)
                    let lower = (0x41...0x5A).contains(b) ? b + 32 : b
                    if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) || lower == 0x5F {
                        if !hangul.isEmpty { endHangul() }
                        if wordScalars < SearchIndex.maxTermLength {
                            word.append(lower)
                            wordScalars += 1
                        }
                    } else {
                        boundary()
                    }
                    continue
                }
                // A multi-byte scalar: read it whole (the string is valid UTF-8).
                let scalar = text.unicodeScalars[i]
                i = text.unicodeScalars.index(after: i)
                if SearchIndex.isHangulSyllable(scalar) {
                    if wordScalars > 0 { endWord() }
                    hangul.append(scalar.value)
                } else if SearchIndex.isWordScalar(scalar) {
                    // Lowercase as JavaScript's toLowerCase does, scalar by scalar.
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars { addToWord(lower) }
                } else {
                    boundary()
                }
            }
        }
    }

    /// The UTF-8 bytes of a scalar value.
    static func encode(_ v: UInt32) -> [UInt8] {
        switch v {
        case ..<0x80: return [UInt8(v)]
        case ..<0x800: return [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)]
        case ..<0x10000: return [UInt8(0xE0 | v >> 12), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
        default: return [UInt8(0xF0 | v >> 18), UInt8(0x80 | v >> 12 & 0x3F), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
        }
    }

    // MARK: - Output

    /// `search-index.js` for `docs` (in site order): deterministic, one record per line.
    static func javascript(docs: [RunbookDocument]) -> [UInt8] {
        // Section numbers as UInt32: the postings are most of the index's memory.
        var bigramPostings: [UInt64: [UInt32]] = [:]
        var wordPostings: [String: [UInt32]] = [:]
        // Written straight into bytes: the text of every section is never held twice.
        var bytes: [UInt8] = []
        func put(_ s: String) { bytes.append(contentsOf: s.utf8) }
        put("/* Generated by runbook build: the search index read by site.js. */\nwindow.RUNBOOK_SEARCH = {\n\"docs\": [\n")
        for (i, doc) in docs.enumerated() {
            put("[\(json(SitePaths.href(forPage: SitePaths.page(for: doc.name)))),\(json(doc.title))]\(i + 1 < docs.count ? "," : "")\n")
        }
        put("],\n\"sections\": [\n")
        var index = 0
        // Sections are tokenized on all cores, a batch of docs at a time, and merged into the
        // postings as they come: the terms of every section are never all in memory at once.
        var start = 0
        while start < docs.count {
            let end = min(start + 32, docs.count)
            let batch = Array(docs[start..<end]).parallelMap { entries(of: $0) }
            for (offset, entries) in batch.enumerated() {
                for e in entries {
                    let number = UInt32(truncatingIfNeeded: index)
                    for t in e.terms.bigrams { bigramPostings[t, default: []].append(number) }
                    for t in e.terms.words { wordPostings[t, default: []].append(number) }
                    if index > 0 { put(",\n") }
                    put("[\(start + offset),\(json(e.id)),\(json(e.heading)),\(json(e.excerpt))]")
                    index += 1
                }
            }
            start = end
        }
        if index > 0 { put("\n") }
        // Sorted by UTF-16 code units: the order of JavaScript's `<`, which site.js binary-searches with.
        // Plain arrays and index loops: a big table can give a million keys.
        let bigrams = Array(bigramPostings.keys)
        var keys = Array(wordPostings.keys)
        let wordCount = keys.count
        keys.reserveCapacity(wordCount + bigrams.count)
        for b in bigrams { keys.append(Terms.string(ofBigram: b)) }
        let order = utf16Order(keys)
        put("],\n\"keys\": [\n")
        for i in 0..<order.count {
            put(json(keys[order[i]]))
            put(i + 1 < order.count ? (i % 20 == 19 ? ",\n" : ",") : "\n")
        }
        // Postings are gaps between ascending section numbers: small numbers, a smaller file.
        put("],\n\"postings\": [\n")
        for i in 0..<order.count {
            let position = order[i]
            let list = position < wordCount ? wordPostings[keys[position]] ?? [] : bigramPostings[bigrams[position - wordCount]] ?? []
            var previous = 0
            bytes.append(UInt8(ascii: "["))
            for j in 0..<list.count {
                let s = Int(list[j])
                if j > 0 { bytes.append(UInt8(ascii: ",")) }
                appendDecimal(s - previous, to: &bytes)
                previous = s
            }
            bytes.append(UInt8(ascii: "]"))
            if i + 1 < order.count { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\n"))
        }
        put("]\n};\n")
        return bytes
    }

    /// The positions of `keys` in UTF-16 code unit order (JavaScript's `<`).
    ///
    /// Each key's first eight code units are packed into two integers first: a search index can
    /// hold a million distinct words (a big table of ids), and comparing two integers is far
    /// cheaper than walking two strings' UTF-16 views; only keys that share eight units are
    /// compared whole.
    static func utf16Order(_ keys: [String]) -> [Int] {
        var prefixes: [(high: UInt64, low: UInt64)] = []
        prefixes.reserveCapacity(keys.count)
        for key in keys {
            var high: UInt64 = 0
            var low: UInt64 = 0
            var n = 0
            for unit in key.utf16 {
                if n < 4 { high |= UInt64(unit) << (48 - 16 * n) } else { low |= UInt64(unit) << (48 - 16 * (n - 4)) }
                n += 1
                if n == 8 { break }
            }
            prefixes.append((high, low))
        }
        var order = Array(keys.indices)
        prefixes.withUnsafeBufferPointer { prefix in
            order.sort { a, b in
                let x = prefix[a], y = prefix[b]
                if x.high != y.high { return x.high < y.high }
                if x.low != y.low { return x.low < y.low }
                return keys[a].utf16.lexicographicallyPrecedes(keys[b].utf16)
            }
        }
        return order
    }

    private static func appendDecimal(_ n: Int, to bytes: inout [UInt8]) {
        if n < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(n))
            return
        }
        var digits: [UInt8] = []
        var v = n
        while v > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        }
        bytes += digits.reversed()
    }

    /// A JSON string literal that is also safe inside an HTML `<script>` element.
    static func json(_ s: String) -> String {
        let plain = !s.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x7F || $0 == 0xE2 }
        if plain { return "\"" + s + "\"" }
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
