import RunbookCore
/// Server-side highlighting of shell text: comments, strings, flags and variables.
///
/// A small single-pass scanner, not a shell parser: it only wraps spans in classes, so the text
/// a reader copies is exactly the text written.
enum ShellHighlighter {
    static func highlight(_ code: String) -> String {
        let chars = Array(code)
        var out = ""
        var i = 0
        var atWordStart = true
        func span(_ cls: String, _ text: String) { out += "<span class=\"sh-\(cls)\">\(HTMLEscaping.escape(text))</span>" }
        while i < chars.count {
            let c = chars[i]
            if c == "#" && atWordStart {
                var j = i
                while j < chars.count, chars[j] != "\n" { j += 1 }
                span("comment", String(chars[i..<j]))
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                while j < chars.count, chars[j] != c {
                    if c == "\"" && chars[j] == "\\" { j += 1 }
                    j += 1
                }
                j = min(j + 1, chars.count)
                span("string", String(chars[i..<j]))
                i = j
                atWordStart = false
                continue
            }
            if c == "$" || (c == "<" && i + 1 < chars.count && chars[i + 1].isLetter) {
                var j = i + 1
                if c == "$", j < chars.count, chars[j] == "{" {
                    while j < chars.count, chars[j] != "}" { j += 1 }
                    j = min(j + 1, chars.count)
                } else if c == "<" {
                    while j < chars.count, chars[j] != ">", chars[j] != " ", chars[j] != "\n" { j += 1 }
                    if j < chars.count, chars[j] == ">" { j += 1 } else { j = i + 1 }
                } else if j < chars.count, "0123456789?#@*!$-".contains(chars[j]) {
                    j += 1  // $1, $?, $@ ...: special parameters are one character
                } else {
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                }
                if j > i + 1 {
                    span("var", String(chars[i..<j]))
                    i = j
                    atWordStart = false
                    continue
                }
            }
            if c == "-" && atWordStart {
                var j = i
                while j < chars.count, !chars[j].isWhitespace, chars[j] != "=" { j += 1 }
                if j > i + 1 {
                    span("flag", String(chars[i..<j]))
                    i = j
                    atWordStart = false
                    continue
                }
            }
            out += HTMLEscaping.escape(String(c))
            atWordStart = c.isWhitespace || c == ";" || c == "|" || c == "&" || c == "("
            i += 1
        }
        return out
    }
}
