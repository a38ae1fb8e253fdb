import Foundation
import RunbookCore

/// Rewrites a shell step's `${NAME}` / `<name>` parameters into references to environment
/// variables, so values reach bash as data and never as shell text to be parsed.
///
/// Each reference fits where the tokenizer found the parameter, so that its value is exactly one
/// word, never split, globbed or read as shell:
/// - in a word outside quotes (an argument, an assignment, a redirection target, a here-string,
///   the word of `${X:-word}`): `"${RUNBOOK_PARAM_X}"`;
/// - inside double quotes, or in the body of a here-document that expands: `${RUNBOOK_PARAM_X}`;
/// - inside single quotes: `'"${RUNBOOK_PARAM_X}"'` (the quote is closed around it), and
///   `'"${RUNBOOK_PARAM_X}"$'` inside `$'...'`;
/// - in the body of a here-document with a quoted delimiter (`<<'EOF'`), whose body bash reads
///   literally: the here-document is made one that expands, with every `\`, `$` and `` ` `` of
///   its body escaped, so the body reads as written and the parameter is `${RUNBOOK_PARAM_X}`;
/// - in a comment: left as written.
public enum ShellParameterRewriter {
    /// `text` with its parameters rewritten, and, given `date`, each `$(date ...)` bash would
    /// expand replaced by its value then (see `DateSubstitution`).
    public static func rewrite(_ text: String, datesAt date: Date? = nil) throws(ShellWords.ParseError) -> String {
        let script = try ShellWords.parse(text)
        var edits: [(range: Range<String.Index>, text: String)] = []
        for o in script.parameters {
            guard let name = o.parameterName else { continue }
            let variable = "${\(ParameterName.shellVariable(name))}"
            switch o.quoting {
            case .unquoted: edits.append((o.range, "\"\(variable)\""))
            case .doubleQuoted, .heredocBody: edits.append((o.range, variable))
            case .singleQuoted: edits.append((o.range, "'\"\(variable)\"'"))
            case .ansiCQuoted: edits.append((o.range, "'\"\(variable)\"$'"))
            case .comment: break
            }
        }
        for doc in script.heredocs where doc.isQuoted {
            let inBody = script.parameters.filter { doc.bodyRange.contains($0.range.lowerBound) }
            if !inBody.isEmpty { edits += expanding(doc, parameters: inBody.map(\.range), in: script.text) }
        }
        if let date {
            edits += DateSubstitution.occurrences(in: script).map { ($0.range, $0.substitution.value(at: date)) }
        }
        return script.replacing(edits)
    }

    /// Edits that turn a here-document with a quoted delimiter into one that expands and reads
    /// the same: an unquoted delimiter, and a `\` before each `\`, `$` and `` ` `` of the body
    /// outside `parameters`.
    static func expanding(_ doc: ShellHeredoc, parameters: [Range<String.Index>], in text: String) -> [(range: Range<String.Index>, text: String)] {
        var edits: [(range: Range<String.Index>, text: String)] = []
        let plain = !doc.delimiter.isEmpty && doc.delimiter.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        if plain {
            edits.append((doc.delimiterRange, doc.delimiter))
        } else {
            // A delimiter that needs its quotes: one of ours that no body line can end early.
            let lines = Set(text[doc.bodyRange].split(separator: "\n").map { String($0.drop { $0 == "\t" }) })
            var delimiter = "RUNBOOK_EOF"
            var n = 1
            while lines.contains(delimiter) { delimiter = "RUNBOOK_EOF_\(n)"; n += 1 }
            edits.append((doc.delimiterRange, delimiter))
            if let closing = doc.terminatorRange { edits.append((closing, delimiter)) }
        }
        let parameterEnds = Dictionary(parameters.map { ($0.lowerBound, $0.upperBound) }, uniquingKeysWith: { a, _ in a })
        var k = doc.bodyRange.lowerBound
        while k < doc.bodyRange.upperBound {
            if let end = parameterEnds[k] {
                k = end
                continue
            }
            let next = text.index(after: k)
            let c = text[k]
            if c == "\\" || c == "$" || c == "`" { edits.append((k..<next, "\\\(c)")) }
            k = next
        }
        return edits
    }
}
