/// A POSIX shell-words tokenizer: quotes, escapes, `\` line continuations, comments, operators
/// and redirections, with the dialect's `${NAME}` and `<name>` parameters kept as parameters.
///
/// It reads the way bash reads a line (not the way it expands one): `'...'` is literal, `"..."`
/// removes `\` only before `$`, `` ` ``, `"`, `\` and newline, and `#` starts a comment only at
/// the start of a word. `&&`, `||`, `;`, `|`, `&`, `(`, `)` and redirections are separate tokens.
public enum ShellWords {
    /// A problem that stops the text from being read as shell words.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String

        public var description: String { "line \(line): \(message)" }
    }

    /// The commands of `text`, each with its words, redirections and the operator that ends it.
    public static func parse(_ text: String) throws(ParseError) -> ShellScript {
        var lexer = Lexer(Array(text))
        let tokens = try lexer.tokens()
        return ShellScript(tokens: tokens, chars: lexer.chars, hasHeredoc: lexer.sawHeredoc)
    }

    /// The words of `text` as strings, operators included as their own items: the shape of
    /// Python's `shlex.split` (posix) for text without operators.
    public static func split(_ text: String) throws(ParseError) -> [String] {
        var lexer = Lexer(Array(text))
        return try lexer.tokens().compactMap { token in
            switch token.kind {
            case .word(let w): return w.text
            case .op(.newline): return nil
            case .op(let op): return op.rawValue
            case .redirect(let op): return op
            }
        }
    }

    // MARK: - Lexer

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

    struct Lexer {
        let chars: [Character]
        var i = 0
        var line = 1
        var out: [Token] = []
        var pendingHeredocs: [(delimiter: String, stripTabs: Bool)] = []
        var expectHeredocDelimiter: Bool? = nil
        var sawHeredoc = false

        init(_ chars: [Character]) { self.chars = chars }

        func peek(_ offset: Int = 0) -> Character? {
            let j = i + offset
            return j < chars.count ? chars[j] : nil
        }

        static func isNameStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
        static func isNameChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }

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
                let word = ShellWord(parts: parts, raw: String(me.chars[wordStart..<me.i]))
                me.out.append(Token(kind: .word(word), start: wordStart, end: me.i, line: wordLine))
                if let strip = me.expectHeredocDelimiter {
                    me.pendingHeredocs.append((word.text, strip))
                    me.expectHeredocDelimiter = nil
                }
                parts = []
                inWord = false
            }

            while let c = peek() {
                switch c {
                case " ", "\t", "\r":
                    endWord(&self)
                    i += 1
                case "\n":
                    endWord(&self)
                    out.append(Token(kind: .op(.newline), start: i, end: i + 1, line: line))
                    i += 1
                    line += 1
                    if !pendingHeredocs.isEmpty { skipHeredocBodies() }
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
                    while let q = peek(), q != "\n" { i += 1 }
                case "$":
                    begin()
                    if let part = try readDollar() {
                        flushLiteral()
                        parts.append(part)
                    } else {
                        literal.append("$")
                        i += 1
                    }
                case "`":
                    begin()
                    flushLiteral()
                    parts.append(.expansion(try readBackticks()))
                case "<" where placeholderLength() != nil:
                    begin()
                    flushLiteral()
                    let n = placeholderLength() ?? 0
                    let written = String(chars[i..<(i + n)])
                    parts.append(.parameter(name: String(written.dropFirst().dropLast()), written: written))
                    i += n
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
                case "(", ")":
                    endWord(&self)
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

        /// Length of a `<name>` placeholder starting at `i`, if there is one.
        func placeholderLength() -> Int? {
            guard peek() == "<", let first = peek(1), first.isASCII, first.isLetter else { return nil }
            var j = 2
            while let c = peek(j), c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "-" { j += 1 }
            return peek(j) == ">" ? j + 1 : nil
        }

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

        /// Skips the bodies of here-documents that started on the line just ended.
        mutating func skipHeredocBodies() {
            for doc in pendingHeredocs {
                while i < chars.count {
                    var end = i
                    while end < chars.count, chars[end] != "\n" { end += 1 }
                    var lineText = String(chars[i..<end])
                    if doc.stripTabs { lineText = String(lineText.drop { $0 == "\t" }) }
                    i = min(end + 1, chars.count)
                    line += 1
                    if lineText == doc.delimiter { break }
                }
            }
            pendingHeredocs = []
        }

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
                    if let part = try readDollar() {
                        if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                        parts.append(part)
                    } else {
                        literal.append("$")
                        i += 1
                    }
                case "`":
                    if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                    parts.append(.expansion(try readBackticks()))
                case "<" where placeholderLength() != nil:
                    if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                    let n = placeholderLength() ?? 0
                    let written = String(chars[i..<(i + n)])
                    parts.append(.parameter(name: String(written.dropFirst().dropLast()), written: written))
                    i += n
                default:
                    if c == "\n" { line += 1 }
                    literal.append(c)
                    i += 1
                }
            }
            throw ParseError(line: startLine, message: "a double quote (\") is never closed")
        }

        /// Reads `$...` at `i`: a `${NAME}` parameter or an expansion; nil for a lone `$`.
        mutating func readDollar() throws(ParseError) -> ShellWord.Part? {
            guard let n = peek(1) else { return nil }
            let start = i
            if n == "{" {
                var j = i + 2
                while j < chars.count, Self.isNameChar(chars[j]) { j += 1 }
                if j < chars.count, chars[j] == "}", j > i + 2, Self.isNameStart(chars[i + 2]) {
                    let name = String(chars[(i + 2)..<j])
                    i = j + 1
                    return .parameter(name: name, written: "${\(name)}")
                }
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                    throw ParseError(line: line, message: "a ${ is never closed with }")
                }
                i = close + 1
                return .expansion(String(chars[start..<i]))
            }
            if n == "(" {
                var depth = 0
                var j = i + 1
                var quote: Character? = nil
                while j < chars.count {
                    let c = chars[j]
                    if let q = quote {
                        if c == "\\" && q == "\"" { j += 1 } else if c == q { quote = nil }
                    } else if c == "'" || c == "\"" {
                        quote = c
                    } else if c == "\\" {
                        j += 1
                    } else if c == "(" {
                        depth += 1
                    } else if c == ")" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    if c == "\n" { line += 1 }
                    j += 1
                }
                guard j < chars.count else { throw ParseError(line: line, message: "a $( is never closed with )") }
                i = j + 1
                return .expansion(String(chars[start..<i]))
            }
            if n == "'" {
                var j = i + 2
                while j < chars.count, chars[j] != "'" {
                    if chars[j] == "\\" { j += 1 }
                    j += 1
                }
                guard j < chars.count else { throw ParseError(line: line, message: "a $' quote is never closed") }
                i = j + 1
                return .expansion(String(chars[start..<i]))
            }
            if Self.isNameStart(n) {
                var j = i + 1
                while j < chars.count, Self.isNameChar(chars[j]) { j += 1 }
                i = j
                return .expansion(String(chars[start..<i]))
            }
            if n.isNumber || "?!#@*$-".contains(n) {
                i += 2
                return .expansion(String(chars[start..<i]))
            }
            return nil
        }

        mutating func readBackticks() throws(ParseError) -> String {
            let start = i
            let startLine = line
            var j = i + 1
            while j < chars.count, chars[j] != "`" {
                if chars[j] == "\\" { j += 1 }
                if j < chars.count, chars[j] == "\n" { line += 1 }
                j += 1
            }
            guard j < chars.count else { throw ParseError(line: startLine, message: "a backtick (`) is never closed") }
            i = j + 1
            return String(chars[start..<i])
        }
    }
}
