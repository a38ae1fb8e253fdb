import Foundation

/// One CloudWatch Logs event as `FilterLogEvents` returns it.
public struct LogEvent: Codable, Sendable, Equatable {
    public var eventId: String?
    public var logStreamName: String?
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    public var ingestionTime: Int64?
    public var message: String

    public init(eventId: String?, logStreamName: String?, timestamp: Int64, ingestionTime: Int64? = nil, message: String) {
        self.eventId = eventId
        self.logStreamName = logStreamName
        self.timestamp = timestamp
        self.ingestionTime = ingestionTime
        self.message = message
    }

    public var date: Date { Date(timeIntervalSince1970: Double(timestamp) / 1000) }

    /// What identifies the event across polls: its id, else its stream, time and text.
    var identity: String {
        eventId ?? "\(logStreamName ?? "")|\(timestamp)|\(message)"
    }

    /// `2026-11-27T05:33:28.123000+00:00 STREAM MESSAGE`, the shape `aws logs tail` prints.
    public var line: String {
        let text = message.hasSuffix("\n") ? String(message.dropLast()) : message
        return "\(Self.isoTimestamp(timestamp)) \(logStreamName ?? "-") \(text)"
    }

    /// Milliseconds since the epoch of `date`.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// UTC ISO 8601 with microseconds and `+00:00`, as the AWS CLI writes event times.
    static func isoTimestamp(_ ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d000+00:00", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(millis))
    }
}
