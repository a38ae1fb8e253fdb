import Foundation

/// Reads `--since`: a duration back from now (`30s`, `10m`, `1h`, `2d`, `1w`, combinations like
/// `1h30m`) or an ISO 8601 time (`2026-11-27T05:00:00Z`, `2026-11-27T14:00:00+09:00`,
/// `2026-11-27 05:00`, `2026-11-27`; no zone means UTC), like `aws logs tail --since`.
public enum LogSince {
    public static func parse(_ text: String, now: Date) throws(LogsError) -> Date {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let seconds = duration(t) { return now.addingTimeInterval(-seconds) }
        if let date = isoTime(t) { return date }
        throw LogsError.badSince(text)
    }

    /// Seconds in `1h30m`-style text, nil if it is not one.
    static func duration(_ t: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var total = 0.0, number = "", sawUnit = false
        for ch in t.lowercased() {
            if ch.isASCII && ch.isNumber {
                number.append(ch)
            } else if let unit = units[ch], let n = Double(number) {
                total += n * unit
                number = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        return sawUnit && number.isEmpty ? total : nil
    }

    static func isoTime(_ t: String) -> Date? {
        var s = t.replacingOccurrences(of: " ", with: "T")
        if s.count == 10 { s += "T00:00:00" }
        if s.count == 16 { s += ":00" }  // 2026-11-27T05:00
        let hasZone = s.hasSuffix("Z") || s.dropFirst(19).contains("+") || s.dropFirst(19).contains("-")
        if !hasZone { s += "Z" }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}
