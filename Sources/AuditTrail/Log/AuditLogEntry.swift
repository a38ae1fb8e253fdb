import Foundation

/// One complete record of an audit log file, with where it sits in the file.
public struct AuditLogEntry: Sendable, Equatable {
    /// 1-based line number in the file.
    public var line: Int
    /// Byte offset just past this record's newline.
    public var endOffset: Int
    /// The stored line, without its newline: exactly what was hashed plus the `hash` member.
    public var text: String
    /// The chain value the record carries.
    public var hash: String
    public var record: AuditRecord

    /// The complete records (lines ending with a newline) in `bytes`, which start at byte `offset`
    /// and line `firstLine` of the file. Torn or foreign lines are left out; `AuditVerifier` reports them.
    public static func parse(_ bytes: [UInt8], offset: Int = 0, firstLine: Int = 1) -> [AuditLogEntry] {
        var entries: [AuditLogEntry] = []
        let decoder = JSONDecoder()
        var start = 0
        var line = firstLine
        while start < bytes.count, let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let raw = Array(bytes[start..<newline])
            if let parts = AuditChain.split(line: raw), let record = try? decoder.decode(AuditRecord.self, from: Data(parts.body)) {
                entries.append(AuditLogEntry(line: line, endOffset: offset + newline + 1, text: String(decoding: raw, as: UTF8.self),
                                             hash: parts.hash, record: record))
            }
            start = newline + 1
            line += 1
        }
        return entries
    }

    /// `line 12 (2026-11-27T05:31:00.123Z, run 20261127T053100Z-3fa2c1, step-end hello)`.
    public var summary: String {
        "line \(line) (\(record.summary))"
    }
}

extension AuditRecord {
    /// `2026-11-27T05:31:00.123Z, run 20261127T053100Z-3fa2c1, step-end hello`.
    public var summary: String {
        "\(time), run \(run), \(event.rawValue)\(step.map { " \($0)" } ?? "")"
    }

    /// Milliseconds since 1970 of `time`, nil when it is not an ISO 8601 timestamp.
    public var epochMilliseconds: Int64? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: time) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: time).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
