import Foundation

/// CloudWatch Logs over awsJson1_1 (`Logs_20140328.<Operation>`): the calls `runbook logs tail` makes.
public struct LogsClient: Sendable {
    public var aws: AWSClient

    public init(_ aws: AWSClient) { self.aws = aws }

    /// The Logs client for resolved settings, over libcurl.
    public init(settings: AWSSettings, transport: any HTTPTransport = CurlTransport(), timeout: Double = 30) {
        aws = AWSClient(service: .logs, settings: settings, transport: transport, timeout: timeout)
    }

    /// One page of `FilterLogEvents`.
    public struct FilterPage: Decodable, Sendable {
        public var events: [LogEvent]
        public var nextToken: String?

        enum CodingKeys: String, CodingKey { case events, nextToken }
        public init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            events = try c.decodeIfPresent([LogEvent].self, forKey: .events) ?? []
            nextToken = try c.decodeIfPresent(String.self, forKey: .nextToken)
        }
    }

    /// Every event of `group` from `start` (inclusive, and before `end` when given) that matches
    /// `filterPattern`, following `nextToken` through all pages of at most `pageLimit` events.
    ///
    /// A missing group is `LogsError.logGroupNotFound` naming it.
    public func filterLogEvents(group: String, start: Date, end: Date? = nil, filterPattern: String? = nil,
                                pageLimit: Int? = nil) throws(LogsError) -> [LogEvent] {
        var events: [LogEvent] = []
        try filterLogEvents(group: group, start: start, end: end, filterPattern: filterPattern, pageLimit: pageLimit) { events += $0 }
        return events
    }

    /// The same events, handed to `page` one page at a time as each arrives: memory stays flat
    /// however many pages there are (each reply is bounded by the client's reply limit).
    public func filterLogEvents(group: String, start: Date, end: Date? = nil, filterPattern: String? = nil, pageLimit: Int? = nil,
                                page: ([LogEvent]) -> Void) throws(LogsError) {
        struct Input: Encodable {
            var logGroupName: String
            var startTime: Int64
            var endTime: Int64?
            var filterPattern: String?
            var limit: Int?
            var nextToken: String?
        }
        var input = Input(logGroupName: group, startTime: LogEvent.milliseconds(start), endTime: end.map(LogEvent.milliseconds),
                          filterPattern: filterPattern?.isEmpty == false ? filterPattern : nil, limit: pageLimit, nextToken: nil)
        // The latest tokens, to stop on a repeat (the API may hand back the same token when nothing is left).
        var recentTokens: [String] = []
        while true {
            let reply: FilterPage
            do {
                reply = try aws.callJSON("FilterLogEvents", input)
            } catch {
                if error.code == "ResourceNotFoundException" { throw LogsError.logGroupNotFound(group: group, region: aws.settings.region) }
                throw LogsError.aws(error)
            }
            page(reply.events)
            guard let token = reply.nextToken, !token.isEmpty, !recentTokens.contains(token) else { break }
            recentTokens.append(token)
            if recentTokens.count > 64 { recentTokens.removeFirst() }
            input.nextToken = token
        }
    }
}
