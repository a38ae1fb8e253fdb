import RunbookCore
/// Rewrites a shell step's `${NAME}` / `<name>` parameters into references to environment
/// variables, so values reach bash as data and never as shell text to be parsed.
///
/// Each reference fits its quoting: `"${RUNBOOK_PARAM_X}"` unquoted (no word splitting),
/// `${RUNBOOK_PARAM_X}` inside double quotes, `'"${RUNBOOK_PARAM_X}"'` inside single quotes.
public enum ShellParameterRewriter {
    public static func rewrite(_ script: String) -> String {
        let occurrences = ParameterName.occurrences(in: script)
        guard !occurrences.isEmpty else { return script }
        let inHeredoc = script.contains("<<")
        var starts: [String.Index: (name: String, end: String.Index)] = [:]
        for o in occurrences { starts[o.range.lowerBound] = (o.name, o.range.upperBound) }
        enum Quote { case none, single, double }
        var quote = Quote.none
        var out = ""
        var i = script.startIndex
        while i < script.endIndex {
            if let hit = starts[i] {
                let variable = "${\(ParameterName.shellVariable(hit.name))}"
                switch quote {
                case .none: out += inHeredoc ? variable : "\"\(variable)\""
                case .double: out += variable
                case .single: out += "'\"\(variable)\"'"
                }
                i = hit.end
                continue
            }
            let c = script[i]
            out.append(c)
            switch (quote, c) {
            case (.none, "'"): quote = .single
            case (.single, "'"): quote = .none
            case (.none, "\""): quote = .double
            case (.double, "\""): quote = .none
            case (.none, "\\"), (.double, "\\"):
                let next = script.index(after: i)
                if next < script.endIndex {
                    out.append(script[next])
                    i = script.index(after: next)
                    continue
                }
            default: break
            }
            i = script.index(after: i)
        }
        return out
    }
}
