import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `$(date -u +FORMAT)` or `$(date +FORMAT)`: a command substitution the runner evaluates itself,
/// once per run at bind time from the run's start time, so every step of a run uses the same date
/// (no drift at midnight) and the command can stay native (`aws s3 cp db_$(date -u +%Y%m%d).sql.gz ...`).
///
/// Only formats whose output is plain text (letters, digits, `_ . : + - /`) qualify, so the value
/// can be put into shell text as it is; anything else stays a shell expansion for bash.
public struct DateSubstitution: Sendable, Equatable {
    /// `-u`: UTC; otherwise the machine's local time zone, as `date` would.
    public var utc: Bool
    /// The strftime format without its `+`.
    public var format: String
    /// The substitution as written: `$(date -u +%Y%m%d)`.
    public var written: String

    /// Parses `$(date [-u|--utc] +FORMAT)` (FORMAT optionally in single or double quotes).
    public static func parse(_ written: String) -> DateSubstitution? {
        guard written.hasPrefix("$("), written.hasSuffix(")") else { return nil }
        let inner = written.dropFirst(2).dropLast().trimmingCharacters(in: .whitespaces)
        var words = inner.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.first == "date" else { return nil }
        words.removeFirst()
        var utc = false
        if let first = words.first, first == "-u" || first == "--utc" || first == "--universal" {
            utc = true
            words.removeFirst()
        }
        guard words.count == 1, var format = words.first else { return nil }
        format = unquoted(format)
        guard format.hasPrefix("+") else { return nil }
        format = unquoted(String(format.dropFirst()))
        guard !format.isEmpty, format.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "%_.:+-/".contains($0)) }) else { return nil }
        let candidate = DateSubstitution(utc: utc, format: format, written: written)
        // A format whose output could hold spaces or shell characters (`%c`, `%n`) stays with bash.
        guard Self.isPlain(candidate.value(at: Date(timeIntervalSince1970: 1_764_200_000))) else { return nil }
        return candidate
    }

    /// `'x'` or `"x"` without its quotes (no `$` or backslash inside, which the format check rejects anyway).
    static func unquoted(_ s: String) -> String {
        guard s.count >= 2, let q = s.first, q == "'" || q == "\"", s.last == q else { return s }
        return String(s.dropFirst().dropLast())
    }

    static func isPlain(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.:+-/".contains($0)) }
    }

    /// The text `date` would print at `date` (without the newline).
    public func value(at date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        if utc { gmtime_r(&t, &parts) } else { localtime_r(&t, &parts) }
        var buffer = [CChar](repeating: 0, count: 256)
        let n = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Every date substitution in `text` that bash would expand (not inside single quotes), in
    /// order, with its range.
    public static func occurrences(in text: String) -> [(substitution: DateSubstitution, range: Range<String.Index>)] {
        var found: [(DateSubstitution, Range<String.Index>)] = []
        var inSingle = false, inDouble = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "\\", !inSingle {
                i = text.index(after: i)
                if i < text.endIndex { i = text.index(after: i) }
                continue
            }
            if c == "'", !inDouble {
                inSingle.toggle()
            } else if c == "\"", !inSingle {
                inDouble.toggle()
            } else if c == "$", !inSingle, text[i...].hasPrefix("$(date"), let close = text[i...].firstIndex(of: ")") {
                let range = i..<text.index(after: close)
                if let d = parse(String(text[range])) {
                    found.append((d, range))
                    i = range.upperBound
                    continue
                }
            }
            i = text.index(after: i)
        }
        return found
    }

    /// `text` with each date substitution replaced by its value at `date`.
    public static func substitute(_ text: String, at date: Date) -> String {
        var out = ""
        var last = text.startIndex
        for o in occurrences(in: text) {
            out += text[last..<o.range.lowerBound]
            out += o.substitution.value(at: date)
            last = o.range.upperBound
        }
        out += text[last...]
        return out
    }
}
