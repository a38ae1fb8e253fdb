// MARK: - Lexer

extension ShellWords {
    struct Token {
        enum Kind {
            case word(ShellWord)
            case op(ShellOperator)
            case redirect(String)
        }

        var kind: Kind
        var start: Int
        var end: Int
        var line: Int
    }

    /// A parameter or expansion, by character offsets (`ShellScript` turns them into ranges).
    struct Found {
        var kind: ShellOccurrence.Kind
        var start: Int
        var end: Int
        var quoting: ShellQuoting
    }

    /// A here-document, by character offsets.
    struct FoundHeredoc {
        var delimiter: String
        var isQuoted: Bool
        var stripsTabs: Bool
        var delimiterWord: Range<Int>
        var body: Range<Int>
        var terminator: Range<Int>?
    }

    /// A `<<` whose body starts after the current line.
    struct PendingHeredoc {
        var delimiter: String
        var isQuoted: Bool
        var stripsTabs: Bool
        var word: Range<Int>
    }

    struct Lexer {
        /// How deep `$(...)`, `${...}` and backticks may nest: each level is a nested lexer.
        static let maxDepth = 64

        enum Mode {
            /// Top-level text, the inside of backticks or of `${...}`: reads to the end of its range.
            case script
            /// The inside of `$(...)`: stops at the `)` that closes it.
            case commandSubstitution
        }

        let chars: [Character]
        /// One past the last character this lexer may read.
        let end: Int
        let depth: Int
        let mode: Mode
        var i: Int
        var line: Int
        var out: [Token] = []
        var found: [Found] = []
        var heredocs: [FoundHeredoc] = []
        /// The tokens of each command substitution inside, at any depth.
        var substitutions: [[Token]] = []
        var pendingHeredocs: [PendingHeredoc] = []
        /// After `<<` or `<<-` (true: strip tabs), the next word is the delimiter.
        var expectHeredocDelimiter: Bool? = nil
        var sawHeredoc = false
        var parenDepth = 0
        /// Set when a `commandSubstitution` lexer reached its `)` (at `i`).
        var closedSubstitution = false

        init(_ chars: [Character]) {
            self.init(chars, from: 0, to: chars.count, line: 1, depth: 0, mode: .script)
        }

        init(_ chars: [Character], from start: Int, to end: Int, line: Int, depth: Int, mode: Mode) {
            self.chars = chars
            self.i = start
            self.end = end
            self.line = line
            self.depth = depth
            self.mode = mode
        }

        func peek(_ offset: Int = 0) -> Character? {
            let j = i + offset
            return j < end ? chars[j] : nil
        }

        static func isNameStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
        static func isNameChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

        /// A lexer for `start..<end` of the same text, one level deeper.
        func nested(from start: Int, to end: Int, mode: Mode) throws(ParseError) -> Lexer {
            guard depth < Self.maxDepth else {
                throw ParseError(line: line, message: "$(...), ${...} and backticks nest more than \(Self.maxDepth) deep")
            }
            return Lexer(chars, from: start, to: end, line: line, depth: depth + 1, mode: mode)
        }

        /// Takes what a nested lexer found (its own tokens are the caller's business).
        mutating func absorb(_ inner: Lexer) {
            found += inner.found
            heredocs += inner.heredocs
            substitutions += inner.substitutions
            line = inner.line
        }

        mutating func record(_ kind: ShellOccurrence.Kind, _ start: Int, _ end: Int, _ quoting: ShellQuoting) {
            found.append(Found(kind: kind, start: start, end: end, quoting: quoting))
        }

        mutating func tokens() throws(ParseError) -> [Token] {
            var parts: [ShellWord.Part] = []
            var literal = ""
            var inWord = false
            var wordStart = 0
            var wordLine = 1

            func flushLiteral() {
                if !literal.isEmpty {
                    parts.append(.literal(literal))
                    literal = ""
                }
            }
            func begin() {
                if !inWord {
                    inWord = true
                    wordStart = i
                    wordLine = line
                }
            }
            func endWord(_ me: inout Lexer) {
                guard inWord else { return }
                flushLiteral()
                let raw = String(me.chars[wordStart..<me.i])
                let word = ShellWord(parts: parts, raw: raw)
                me.out.append(Token(kind: .word(word), start: wordStart, end: me.i, line: wordLine))
                if let strip = me.expectHeredocDelimiter {
                    let quoted = raw.contains { $0 == "'" || $0 == "\"" || $0 == "\\" }
                    me.pendingHeredocs.append(PendingHeredoc(delimiter: word.text, isQuoted: quoted, stripsTabs: strip,
                                                             word: wordStart..<me.i))
                    me.expectHeredocDelimiter = nil
                }
                parts = []
                inWord = false
            }
            func appendParameter(_ p: (name: String, length: Int), _ quoting: ShellQuoting, _ me: inout Lexer) {
                flushLiteral()
                parts.append(.parameter(name: p.name, written: String(me.chars[me.i..<(me.i + p.length)])))
                me.record(.parameter(name: p.name), me.i, me.i + p.length, quoting)
                me.i += p.length
            }

            scan: while let c = peek() {
                switch c {
                case " ", "\t", "\r":
                    endWord(&self)
                    i += 1
                case "\n":
                    endWord(&self)
                    out.append(Token(kind: .op(.newline), start: i, end: i + 1, line: line))
                    i += 1
                    line += 1
                    if !pendingHeredocs.isEmpty { try readHeredocBodies() }
                case "\\":
                    if peek(1) == "\n" {
                        i += 2
                        line += 1
                    } else if let next = peek(1) {
                        begin()
                        literal.append(next)
                        i += 2
                    } else {
                        begin()
                        literal.append("\\")
                        i += 1
                    }
                case "'":
                    begin()
                    let startLine = line
                    i += 1
                    while let q = peek(), q != "'" {
                        // The dialect's parameters are parameters in single quotes too.
                        if let p = dialectParameter(at: i) {
                            appendParameter(p, .singleQuoted, &self)
                            continue
                        }
                        if q == "\n" { line += 1 }
                        literal.append(q)
                        i += 1
                    }
                    guard peek() == "'" else { throw ParseError(line: startLine, message: "a single quote (') is never closed") }
                    i += 1
                case "\"":
                    begin()
                    try readDoubleQuoted(literal: &literal, parts: &parts)
                case "#" where !inWord:
                    while let q = peek(), q != "\n" {
                        if let p = dialectParameter(at: i) {
                            record(.parameter(name: p.name), i, i + p.length, .comment)
                            i += p.length
                        } else {
                            i += 1
                        }
                    }
                case "$":
                    begin()
                    if let part = try readDollar(quoting: .unquoted) {
                        flushLiteral()
                        parts.append(part)
                    } else {
                        literal.append("$")
                        i += 1
                    }
                case "`":
                    begin()
                    flushLiteral()
                    parts.append(.expansion(try readBackticks(quoting: .unquoted)))
                case "<" where placeholder(at: i) != nil:
                    begin()
                    if let p = placeholder(at: i) { appendParameter(p, .unquoted, &self) }
                case "<", ">":
                    // A word of digits right before the operator is its file descriptor (`2>`).
                    var op = ""
                    var start = i
                    var startLine = line
                    if inWord, literal.allSatisfy(\.isNumber), !literal.isEmpty, parts.isEmpty, wordStart + literal.count == i {
                        op = literal
                        start = wordStart
                        startLine = wordLine
                        literal = ""
                        inWord = false
                    } else {
                        endWord(&self)
                    }
                    op += readRedirectOperator()
                    out.append(Token(kind: .redirect(op), start: start, end: i, line: startLine))
                    // `<<<` is a here-string: its word is the input itself, no body follows.
                    if (op.hasSuffix("<<") && !op.hasSuffix("<<<")) || op.hasSuffix("<<-") {
                        sawHeredoc = true
                        expectHeredocDelimiter = op.hasSuffix("<<-")
                    }
                case "&":
                    endWord(&self)
                    let start = i
                    if peek(1) == "&" {
                        i += 2
                        out.append(Token(kind: .op(.and), start: start, end: i, line: line))
                    } else if peek(1) == ">" {
                        i += 2
                        var op = "&>"
                        if peek() == ">" { op += ">"; i += 1 }
                        out.append(Token(kind: .redirect(op), start: start, end: i, line: line))
                    } else {
                        i += 1
                        out.append(Token(kind: .op(.background), start: start, end: i, line: line))
                    }
                case "|":
                    endWord(&self)
                    let start = i
                    let op: ShellOperator
                    switch peek(1) {
                    case "|": op = .or; i += 2
                    case "&": op = .pipeAll; i += 2
                    default: op = .pipe; i += 1
                    }
                    out.append(Token(kind: .op(op), start: start, end: i, line: line))
                case ";":
                    endWord(&self)
                    let start = i
                    let op: ShellOperator = peek(1) == ";" ? .doubleSemicolon : .semicolon
                    i += op == .doubleSemicolon ? 2 : 1
                    out.append(Token(kind: .op(op), start: start, end: i, line: line))
                case ")" where mode == .commandSubstitution && parenDepth == 0:
                    endWord(&self)
                    closedSubstitution = true
                    break scan
                case "(", ")":
                    endWord(&self)
                    parenDepth += c == "(" ? 1 : -1
                    out.append(Token(kind: .op(c == "(" ? .openParen : .closeParen), start: i, end: i + 1, line: line))
                    i += 1
                case "*", "?", "[":
                    begin()
                    flushLiteral()
                    parts.append(.expansion(String(c)))
                    i += 1
                case "~" where !inWord:
                    begin()
                    parts.append(.expansion("~"))
                    i += 1
                default:
                    begin()
                    literal.append(c)
                    i += 1
                }
            }
            endWord(&self)
            return out
        }

        // MARK: - Parameters

        /// A `<name>` placeholder at `j`: its name and length.
        func placeholder(at j: Int) -> (name: String, length: Int)? {
            guard j + 1 < end, chars[j] == "<", chars[j + 1].isASCII, chars[j + 1].isLetter else { return nil }
            var k = j + 2
            while k < end, chars[k].isASCII, chars[k].isLetter || chars[k].isNumber || chars[k] == "_" || chars[k] == "-" { k += 1 }
            guard k < end, chars[k] == ">" else { return nil }
            return (String(chars[(j + 1)..<k]), k + 1 - j)
        }

        /// A `${NAME}` parameter at `j`: its name and length.
        func braceParameter(at j: Int) -> (name: String, length: Int)? {
            guard j + 2 < end, chars[j] == "$", chars[j + 1] == "{", Self.isNameStart(chars[j + 2]) else { return nil }
            var k = j + 3
            while k < end, Self.isNameChar(chars[k]) { k += 1 }
            guard k < end, chars[k] == "}" else { return nil }
            return (String(chars[(j + 2)..<k]), k + 1 - j)
        }

        func dialectParameter(at j: Int) -> (name: String, length: Int)? {
            braceParameter(at: j) ?? placeholder(at: j)
        }

        // MARK: - Redirections and here-documents

        mutating func readRedirectOperator() -> String {
            guard let c = peek() else { return "" }
            i += 1
            var op = String(c)
            if c == ">" {
                if let n = peek(), n == ">" || n == "&" || n == "|" { op.append(n); i += 1 }
            } else {
                if peek() == "<" {
                    op.append("<")
                    i += 1
                    if let n = peek(), n == "<" || n == "-" { op.append(n); i += 1 }
                } else if let n = peek(), n == "&" || n == ">" {
                    op.append(n)
                    i += 1
                }
            }
            return op
        }

        /// Reads the bodies of the here-documents that started on the line just ended, up to and
        /// including each closing line, and finds the parameters (and, unless the delimiter was
        /// quoted, the expansions) in them.
        mutating func readHeredocBodies() throws(ParseError) {
            let docs = pendingHeredocs
            pendingHeredocs = []
            for doc in docs {
                let bodyStart = i
                let bodyLine = line
                var bodyEnd = end
                var terminator: Range<Int>?
                while i < end {
                    var lineEnd = i
                    while lineEnd < end, chars[lineEnd] != "\n" { lineEnd += 1 }
                    var textStart = i
                    if doc.stripsTabs { while textStart < lineEnd, chars[textStart] == "\t" { textStart += 1 } }
                    let lineStart = i
                    i = min(lineEnd + 1, end)
                    line += 1
                    if String(chars[textStart..<lineEnd]) == doc.delimiter {
                        bodyEnd = lineStart
                        terminator = textStart..<lineEnd
                        break
                    }
                }
                var body = try nested(from: bodyStart, to: bodyEnd, mode: .script)
                body.line = bodyLine
                try body.scanHeredocBody(expands: !doc.isQuoted)
                let after = line
                absorb(body)
                line = after
                heredocs.append(FoundHeredoc(delimiter: doc.delimiter, isQuoted: doc.isQuoted, stripsTabs: doc.stripsTabs,
                                             delimiterWord: doc.word, body: bodyStart..<bodyEnd, terminator: terminator))
            }
        }

        /// Text where bash expands `$`, backticks and `\` escapes but quotes are plain characters:
        /// a here-document body, or the word of `${NAME:-word}` inside double quotes.
        mutating func scanExpanding(_ quoting: ShellQuoting, expands: Bool = true) throws(ParseError) {
            while let c = peek() {
                if let p = dialectParameter(at: i) {
                    record(.parameter(name: p.name), i, i + p.length, quoting)
                    i += p.length
                    continue
                }
                switch c {
                case "\n":
                    line += 1
                    i += 1
                case "\\" where expands:
                    if let n = peek(1), n == "$" || n == "`" || n == "\\" || n == "\n" {
                        if n == "\n" { line += 1 }
                        i += 2
                    } else {
                        i += 1
                    }
                case "$" where expands:
                    if try readDollar(quoting: quoting) == nil { i += 1 }
                case "`" where expands:
                    _ = try readBackticks(quoting: quoting)
                default:
                    i += 1
                }
            }
        }

        mutating func scanHeredocBody(expands: Bool) throws(ParseError) {
            try scanExpanding(.heredocBody(expands: expands), expands: expands)
        }

        // MARK: - Quotes and expansions

        mutating func readDoubleQuoted(literal: inout String, parts: inout [ShellWord.Part]) throws(ParseError) {
            let startLine = line
            i += 1
            while let c = peek() {
                switch c {
                case "\"":
                    i += 1
                    return
                case "\\":
                    guard let n = peek(1) else {
                        literal.append("\\")
                        i += 1
                        continue
                    }
                    if n == "\n" {
                        line += 1
                    } else if n == "$" || n == "`" || n == "\"" || n == "\\" {
                        literal.append(n)
                    } else {
                        literal.append("\\")
                        literal.append(n)
                    }
                    i += 2
                case "$":
                    if let part = try readDollar(quoting: .doubleQuoted) {
                        if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                        parts.append(part)
                    } else {
                        literal.append("$")
                        i += 1
                    }
                case "`":
                    if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                    parts.append(.expansion(try readBackticks(quoting: .doubleQuoted)))
                case "<" where placeholder(at: i) != nil:
                    if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                    if let p = placeholder(at: i) {
                        parts.append(.parameter(name: p.name, written: String(chars[i..<(i + p.length)])))
                        record(.parameter(name: p.name), i, i + p.length, .doubleQuoted)
                        i += p.length
                    }
                default:
                    if c == "\n" { line += 1 }
                    literal.append(c)
                    i += 1
                }
            }
            throw ParseError(line: startLine, message: "a double quote (\") is never closed")
        }

        /// Reads `$...` at `i`: a `${NAME}` parameter or an expansion; nil for a lone `$`.
        mutating func readDollar(quoting: ShellQuoting) throws(ParseError) -> ShellWord.Part? {
            guard let n = peek(1) else { return nil }
            let start = i
            if let p = braceParameter(at: i) {
                record(.parameter(name: p.name), i, i + p.length, quoting)
                i += p.length
                return .parameter(name: p.name, written: String(chars[start..<i]))
            }
            if n == "{" {
                let close = try closingBrace(quoting: quoting)
                // `${NAME:-word}`: the word may hold parameters and expansions of its own.
                var inner = try nested(from: i + 2, to: close, mode: .script)
                if quoting == .unquoted {
                    _ = try inner.tokens()
                } else {
                    try inner.scanExpanding(.unquoted)
                }
                absorb(inner)
                i = close + 1
                record(.expansion, start, i, quoting)
                return .expansion(String(chars[start..<i]))
            }
            if n == "(" {
                let startLine = line
                var inner = try nested(from: i + 2, to: end, mode: .commandSubstitution)
                let tokens = try inner.tokens()
                guard inner.closedSubstitution else { throw ParseError(line: startLine, message: "a $( is never closed with )") }
                absorb(inner)
                substitutions.append(tokens)
                i = inner.i + 1
                record(.expansion, start, i, quoting)
                return .expansion(String(chars[start..<i]))
            }
            // `$'...'` quotes only outside quotes: in "..." and here-documents `$'` is plain text.
            if n == "'", quoting == .unquoted {
                let startLine = line
                var j = i + 2
                while j < end, chars[j] != "'" {
                    if let p = dialectParameter(at: j) {
                        record(.parameter(name: p.name), j, j + p.length, .ansiCQuoted)
                        j += p.length
                        continue
                    }
                    if chars[j] == "\\" { j += 1 }
                    if j < end, chars[j] == "\n" { line += 1 }
                    j += 1
                }
                guard j < end else { throw ParseError(line: startLine, message: "a $' quote is never closed") }
                i = j + 1
                record(.expansion, start, i, quoting)
                return .expansion(String(chars[start..<i]))
            }
            if Self.isNameStart(n) {
                var j = i + 1
                while j < end, Self.isNameChar(chars[j]) { j += 1 }
                i = j
                record(.expansion, start, i, quoting)
                return .expansion(String(chars[start..<i]))
            }
            if n.isNumber || "?!#@*$-".contains(n) {
                i += 2
                record(.expansion, start, i, quoting)
                return .expansion(String(chars[start..<i]))
            }
            return nil
        }

        /// The `}` that closes the `${` at `i`: nested `${...}` counted, quotes and `\` skipped
        /// (single quotes are plain characters inside double quotes and here-documents).
        func closingBrace(quoting: ShellQuoting) throws(ParseError) -> Int {
            var depth = 1
            var j = i + 2
            while j < end {
                switch chars[j] {
                case "\\":
                    j += 2
                    continue
                case "'" where quoting == .unquoted, "\"":
                    let q = chars[j]
                    j += 1
                    while j < end, chars[j] != q {
                        if q == "\"", chars[j] == "\\" { j += 1 }
                        j += 1
                    }
                case "$" where j + 1 < end && chars[j + 1] == "{":
                    depth += 1
                    j += 1
                case "}":
                    depth -= 1
                    if depth == 0 { return j }
                default:
                    break
                }
                j += 1
            }
            throw ParseError(line: line, message: "a ${ is never closed with }")
        }

        mutating func readBackticks(quoting: ShellQuoting) throws(ParseError) -> String {
            let start = i
            let startLine = line
            var j = i + 1
            while j < end, chars[j] != "`" {
                if chars[j] == "\\" { j += 1 }
                j += 1
            }
            guard j < end else { throw ParseError(line: startLine, message: "a backtick (`) is never closed") }
            var inner = try nested(from: i + 1, to: j, mode: .script)
            let tokens = try inner.tokens()
            absorb(inner)
            substitutions.append(tokens)
            i = j + 1
            record(.expansion, start, i, quoting)
            return String(chars[start..<i])
        }
    }
}
