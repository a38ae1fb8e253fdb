import Foundation

/// `aws logs tail`, natively: the events since a time, then, when following, new events as they
/// arrive, each exactly once, until a deadline.
public struct LogTailer: Sendable {
    public var client: LogsClient
    /// Events per FilterLogEvents page (nil: the API's default of up to 10,000).
    public var pageLimit: Int?
    /// Seconds between polls while following.
    public var pollInterval: Double
    public var sleeper: any Sleeper
    public var clock: @Sendable () -> Date

    public init(client: LogsClient, pageLimit: Int? = nil, pollInterval: Double = 2, sleeper: any Sleeper = ThreadSleeper(),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.pageLimit = pageLimit
        self.pollInterval = pollInterval
        self.sleeper = sleeper
        self.clock = clock
    }

    /// What a tail did: how many events it printed and whether following ended at its deadline.
    public struct Summary: Sendable, Equatable {
        public var events: Int
        public var polls: Int
    }

    /// Emits every event of `group` since `since` matching `filterPattern`, page by page as each
    /// arrives (in time order within a page); with `followFor`, keeps polling for that many seconds
    /// and emits each new event once.
    @discardableResult
    public func tail(group: String, since: Date, filterPattern: String? = nil, followFor: Double? = nil,
                     emit: (LogEvent) -> Void) throws(LogsError) -> Summary {
        let deadline = followFor.map { clock().addingTimeInterval($0) }
        var start = since
        // Ids of events at or after the newest timestamp emitted: the next poll starts there
        // (inclusive), so events sharing that millisecond are neither lost nor repeated. Older ones
        // can never come back, so the map stays as small as one millisecond's events.
        var seen: [String: Int64] = [:]
        var count = 0, polls = 0
        while true {
            polls += 1
            var newest = LogEvent.milliseconds(start)
            try client.filterLogEvents(group: group, start: start, filterPattern: filterPattern, pageLimit: pageLimit) { events in
                let fresh = events.filter { seen[$0.identity] == nil }
                    .sorted { ($0.timestamp, $0.logStreamName ?? "", $0.eventId ?? "") < ($1.timestamp, $1.logStreamName ?? "", $1.eventId ?? "") }
                for e in fresh {
                    seen[e.identity] = e.timestamp
                    emit(e)
                    count += 1
                }
                if let last = fresh.last?.timestamp, last > newest {
                    newest = last
                    seen = seen.filter { $0.value >= newest }
                }
            }
            if newest > LogEvent.milliseconds(start) {
                start = Date(timeIntervalSince1970: Double(newest) / 1000)
            }
            guard let deadline else { break }
            let left = deadline.timeIntervalSince(clock())
            if left <= 0 { break }
            sleeper.sleep(seconds: min(pollInterval, left))
        }
        return Summary(events: count, polls: polls)
    }
}
