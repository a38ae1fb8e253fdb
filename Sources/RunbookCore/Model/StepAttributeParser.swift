/// Parses the inside of a step block's `{...}`: `id=tasks kind=diagnose timeout=60s`.
///
/// Pairs are separated by spaces; a value may be quoted (`"..."` or `'...'`); a bare key means
/// `key=true` (`{skip}`).
enum StepAttributeParser {
    enum Outcome {
        case success([(key: String, value: String)])
        case failure(String)
    }

    static func parse(_ text: String) -> Outcome {
        var pairs: [(key: String, value: String)] = []
        var chars = Array(text)[...]
        while true {
            while let c = chars.first, c.isWhitespace || c == "," { chars.removeFirst() }
            guard !chars.isEmpty else { break }
            var key = ""
            while let c = chars.first, !c.isWhitespace, c != "=" {
                key.append(c)
                chars.removeFirst()
            }
            guard chars.first == "=" else {
                pairs.append((key, "true"))
                continue
            }
            chars.removeFirst()
            var value = ""
            if let quote = chars.first, quote == "\"" || quote == "'" {
                chars.removeFirst()
                var closed = false
                while let c = chars.first {
                    chars.removeFirst()
                    if c == quote { closed = true; break }
                    value.append(c)
                }
                guard closed else { return .failure("the value of step attribute '\(key)' opens a quote that is never closed") }
            } else {
                while let c = chars.first, !c.isWhitespace {
                    value.append(c)
                    chars.removeFirst()
                }
            }
            guard !key.isEmpty else { return .failure("a step attribute has a value but no name ('=\(value)')") }
            pairs.append((key, value))
        }
        return .success(pairs)
    }
}
