/// Rules for the dialect's parameter names (`${CLUSTER}`, `<task-id>`).
public enum ParameterName {
    /// The key two spellings share: `task-id`, `TASK_ID` and `Task_Id` are one parameter (`task_id`).
    public static func key(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "-", with: "_")
    }

    /// Whether a parameter (or environment variable) holds a secret by its name alone: the name
    /// contains SECRET, TOKEN, PASSWORD or PASSWD, in any case and either spelling
    /// (`${DB_PASSWORD}`, `<api-token>`). Not KEY: `key-pattern` is a Redis key glob that a
    /// reviewer must be able to read. Other secrets are named in runbook.toml (`secret = [...]`,
    /// `*_env` keys).
    public static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return ["SECRET", "TOKEN", "PASSWORD", "PASSWD"].contains { upper.contains($0) }
    }

    /// The variable a shell step reads the parameter from: `<task-id>` -> `RUNBOOK_PARAM_TASK_ID`.
    public static func shellVariable(_ name: String) -> String {
        "RUNBOOK_PARAM_" + String(key(name).uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// Every `${NAME}` and `<name>` in `text`, with its range, in order.
    ///
    /// For a word after quote removal (a native action's argument), which has no quoting left to
    /// read. Shell text goes through `ShellWords`, whose `ShellScript.parameters` say where each
    /// parameter sits.
    public static func occurrences(in text: String) -> [(name: String, range: Range<String.Index>)] {
        var found: [(String, Range<String.Index>)] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "$", text.index(after: i) < text.endIndex, text[text.index(after: i)] == "{" {
                var j = text.index(i, offsetBy: 2)
                let start = j
                while j < text.endIndex, text[j].isASCII, text[j].isLetter || text[j].isNumber || text[j] == "_" { j = text.index(after: j) }
                if j < text.endIndex, text[j] == "}", j > start, let f = text[start].asciiValue, !(f >= 48 && f <= 57) {
                    found.append((String(text[start..<j]), i..<text.index(after: j)))
                    i = text.index(after: j)
                    continue
                }
            } else if c == "<", text.index(after: i) < text.endIndex, text[text.index(after: i)].isASCII, text[text.index(after: i)].isLetter {
                var j = text.index(after: i)
                let start = j
                while j < text.endIndex, text[j].isASCII, text[j].isLetter || text[j].isNumber || text[j] == "_" || text[j] == "-" { j = text.index(after: j) }
                if j < text.endIndex, text[j] == ">" {
                    found.append((String(text[start..<j]), i..<text.index(after: j)))
                    i = text.index(after: j)
                    continue
                }
            }
            i = text.index(after: i)
        }
        return found
    }

    /// `text`, a word after quote removal, with each parameter replaced by `value(name)` (left as
    /// written when nil).
    public static func substitute(_ text: String, _ value: (String) -> String?) -> String {
        var out = ""
        var last = text.startIndex
        for o in occurrences(in: text) {
            out += text[last..<o.range.lowerBound]
            out += value(o.name) ?? String(text[o.range])
            last = o.range.upperBound
        }
        out += text[last...]
        return out
    }
}
