/// Parses the short durations the dialect uses: `30s`, `5m`, `1h`, `1h30m`, `90d`, `2w`.
public enum DurationText {
    /// Seconds for a step timeout (`s`, `m`, `h` units, combinable: `1m30s`). Nil when malformed or zero.
    public static func seconds(_ text: String) -> Int? {
        parse(text, units: ["s": 1, "m": 60, "h": 3600])
    }

    /// Days for a review interval (`d`, `w` units). Nil when malformed or zero.
    public static func days(_ text: String) -> Int? {
        parse(text, units: ["d": 1, "w": 7])
    }

    private static func parse(_ text: String, units: [Character: Int]) -> Int? {
        var total = 0
        var number = ""
        var sawUnit = false
        for ch in text {
            if ch.isASCII, ch.isNumber {
                number.append(ch)
            } else if let factor = units[ch], let n = Int(number) {
                let (product, overflow) = n.multipliedReportingOverflow(by: factor)
                guard !overflow else { return nil }
                total += product
                number = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        guard number.isEmpty, sawUnit, total > 0 else { return nil }
        return total
    }

    /// `90` -> `1m30s`, for plans and pages.
    public static func format(seconds: Int) -> String {
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds >= 3600 { return "\(seconds / 3600)h" + format(seconds: seconds % 3600) }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        if seconds > 60 { return "\(seconds / 60)m\(seconds % 60)s" }
        return "\(seconds)s"
    }
}
