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

    /// Parses `$(date [-u|--utc] +FORMAT)`, the inside read by `ShellWords` (so FORMAT may be
    /// quoted any way bash allows: `+'%F'`, `'+%F'`, `+"%F"`).
    public static func parse(_ written: String) -> DateSubstitution? {
        guard written.hasPrefix("$("), written.hasSuffix(")"), written.count >= 3,
              let script = try? ShellWords.parse(String(written.dropFirst(2).dropLast())),
              script.commands.count == 1, let command = script.commands.first, command.redirections.isEmpty,
              script.operators.isEmpty else { return nil }
        // Plain words only: a parameter, an expansion or a glob in them is bash's to expand.
        var words = command.words.compactMap(\.literal)
        guard words.count == command.words.count, words.first == "date" else { return nil }
        words.removeFirst()
        var utc = false
        if let first = words.first, first == "-u" || first == "--utc" || first == "--universal" {
            utc = true
            words.removeFirst()
        }
        guard words.count == 1, let word = words.first, word.hasPrefix("+") else { return nil }
        let format = String(word.dropFirst())
        guard !format.isEmpty, format.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "%_.:+-/".contains($0)) }) else { return nil }
        let candidate = DateSubstitution(utc: utc, format: format, written: written)
        // A format whose output could hold spaces or shell characters (`%c`, `%n`) stays with bash.
        guard Self.isPlain(candidate.value(at: Date(timeIntervalSince1970: 1_764_200_000))) else { return nil }
        return candidate
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

    /// Every date substitution in `script` that bash would expand (not in single quotes, comments
    /// or a here-document with a quoted delimiter), in order, with its range.
    public static func occurrences(in script: ShellScript) -> [(substitution: DateSubstitution, range: Range<String.Index>)] {
        script.occurrences.compactMap { o in
            guard o.kind == .expansion, o.quoting.expands, let d = parse(o.written) else { return nil }
            return (d, o.range)
        }
    }

    /// `script`'s text with each date substitution bash would expand replaced by its value at `date`.
    public static func substitute(in script: ShellScript, at date: Date) -> String {
        script.replacing(occurrences(in: script).map { ($0.range, $0.substitution.value(at: date)) })
    }

    /// `text`, a word after quote removal (a native action's argument), with each date
    /// substitution replaced by its value at `date`. Such a word has no quotes or comments left
    /// to read: the tokenizer already decided its `$(date ...)` is one bash would expand.
    public static func substitute(inWordText text: String, at date: Date) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "$(date"), let close = rest[open.upperBound...].firstIndex(of: ")") {
            let written = rest[open.lowerBound...close]
            out += rest[..<open.lowerBound]
            out += parse(String(written))?.value(at: date) ?? String(written)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
