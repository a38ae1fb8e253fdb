import Foundation

/// A strict reader for the TOML that `runbook.toml` uses, keeping the line of every key.
///
/// Supported: comments, `[table]` and `[dotted.table]` headers, `key = value` with bare or
/// quoted keys, basic and literal strings, integers, booleans and one-line arrays of those.
/// Anything else is an error naming the line, never a silent guess. (A general TOML library
/// does not report where a key was written, and "unknown key on line N" is the point here.)
public struct TOMLDocument: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case array([Value])

        var typeName: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .boolean: return "true or false"
            case .array: return "an array"
            }
        }
    }

    public struct Entry: Sendable {
        public var table: [String]
        public var key: String
        public var value: Value
        public var line: Int
    }

    public struct ParseError: Error, Sendable {
        public var line: Int
        public var message: String
    }

    /// Every `key = value`, in file order.
    public var entries: [Entry] = []
    /// Every `[table]` header with its line.
    public var tables: [(path: [String], line: Int)] = []

    public init(parsing text: String) throws(ParseError) {
        var current: [String] = []
        var seen: Set<String> = []
        // A byte-order mark is not content. Lines end with LF, CRLF (one Character in Swift, so a
        // split on "\n" alone would see a CRLF file as one line) or a lone CR.
        let body = text.hasPrefix("\u{FEFF}") ? Substring(text.dropFirst()) : Substring(text)
        let lines = body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, raw) in lines.enumerated() {
            let lineNumber = index + 1
            if let bad = raw.unicodeScalars.first(where: Self.isForbiddenControl) {
                throw ParseError(line: lineNumber, message: "control character U+\(String(format: "%04X", bad.value)) in runbook.toml; remove it (only tabs are allowed)")
            }
            var scanner = Scanner(Array(raw), line: lineNumber)
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }
            if scanner.peek == "[" {
                scanner.advance()
                if scanner.peek == "[" { throw ParseError(line: lineNumber, message: "arrays of tables ([[...]]) are not supported in runbook.toml") }
                let path = try scanner.keyPath(until: "]")
                scanner.skipSpaces()
                guard scanner.atEndOrComment else { throw ParseError(line: lineNumber, message: "unexpected text after the table header") }
                let joined = path.joined(separator: ".")
                guard seen.insert("[" + joined).inserted else {
                    throw ParseError(line: lineNumber, message: "table [\(joined)] is defined twice")
                }
                current = path
                tables.append((path, lineNumber))
                continue
            }
            let keyPath = try scanner.keyPath(until: "=")
            scanner.skipSpaces()
            let value = try scanner.value()
            scanner.skipSpaces()
            guard scanner.atEndOrComment else { throw ParseError(line: lineNumber, message: "unexpected text after the value") }
            let table = current + keyPath.dropLast()
            let key = keyPath[keyPath.count - 1]
            let full = (table + [key]).joined(separator: ".")
            guard seen.insert(full).inserted else { throw ParseError(line: lineNumber, message: "key '\(full)' is set twice") }
            entries.append(Entry(table: table, key: key, value: value, line: lineNumber))
        }
    }

    /// Control characters other than tab, anywhere in the file (NUL included): refused.
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
    }

    private struct Scanner {
        var chars: [Character]
        var pos = 0
        let line: Int

        init(_ chars: [Character], line: Int) {
            self.chars = chars
            self.line = line
        }

        var peek: Character? { pos < chars.count ? chars[pos] : nil }
        var atEndOrComment: Bool { peek == nil || peek == "#" }
        mutating func advance() { pos += 1 }
        mutating func skipSpaces() { while peek == " " || peek == "\t" { pos += 1 } }

        func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        /// `a.b."c d"` up to `terminator`, which is consumed.
        mutating func keyPath(until terminator: Character) throws(ParseError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                if peek == "\"" || peek == "'" {
                    guard case .string(let s) = try value() else { throw fail("bad quoted key") }
                    parts.append(s)
                } else {
                    var s = ""
                    while let c = peek, c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "-" { s.append(c); advance() }
                    guard !s.isEmpty else {
                        throw fail(peek == nil ? "expected '\(terminator)'" : "unexpected '\(peek.map(String.init) ?? "")' in a key")
                    }
                    parts.append(s)
                }
                skipSpaces()
                if peek == "." { advance(); continue }
                guard peek == terminator else { throw fail("expected '\(terminator)' after the key '\(parts.joined(separator: "."))'") }
                advance()
                return parts
            }
        }

        mutating func value() throws(ParseError) -> Value {
            guard let c = peek else { throw fail("a key has no value") }
            switch c {
            case "\"":
                advance()
                if peek == "\"", pos + 1 < chars.count, chars[pos + 1] == "\"" { throw fail("multi-line strings are not supported in runbook.toml") }
                var s = ""
                while let ch = peek {
                    advance()
                    if ch == "\"" { return .string(s) }
                    if ch == "\\" {
                        guard let e = peek else { break }
                        advance()
                        switch e {
                        case "n", "r": throw fail("a line break (\\\(e)) in a string: runbook.toml values are one line")
                        case "t": s.append("\t")
                        case "\\": s.append("\\")
                        case "\"": s.append("\"")
                        case "u", "U":
                            let n = e == "u" ? 4 : 8
                            guard pos + n <= chars.count, let code = UInt32(String(chars[pos..<pos + n]), radix: 16),
                                  let scalar = Unicode.Scalar(code) else { throw fail("bad \\\(e) escape in a string") }
                            guard !TOMLDocument.isForbiddenControl(scalar) else {
                                throw fail("the escape \\\(e)\(String(chars[pos..<pos + n])) is a control character; runbook.toml strings may not hold one")
                            }
                            s.unicodeScalars.append(scalar)
                            pos += n
                        default: throw fail("unknown escape '\\\(e)' in a string")
                        }
                    } else {
                        s.append(ch)
                    }
                }
                throw fail("a string is not closed with '\"'")
            case "'":
                advance()
                var s = ""
                while let ch = peek {
                    advance()
                    if ch == "'" { return .string(s) }
                    s.append(ch)
                }
                throw fail("a string is not closed with \"'\"")
            case "[":
                advance()
                var items: [Value] = []
                while true {
                    skipSpaces()
                    if peek == "]" { advance(); return .array(items) }
                    items.append(try value())
                    skipSpaces()
                    if peek == "," { advance(); continue }
                    skipSpaces()
                    guard peek == "]" else { throw fail("an array must be closed with ']' on the same line") }
                }
            case "{":
                throw fail("inline tables are not supported in runbook.toml; use a [table] header")
            default:
                var s = ""
                while let ch = peek, !ch.isWhitespace, ch != ",", ch != "]", ch != "#" { s.append(ch); advance() }
                if s == "true" { return .boolean(true) }
                if s == "false" { return .boolean(false) }
                if let n = Int(s.replacingOccurrences(of: "_", with: "")) { return .integer(n) }
                throw fail("'\(s)' is not a value runbook.toml understands (a quoted string, a number, true or false)")
            }
        }
    }
}
