import Foundation
import OpsActions

/// The CloudWatch Logs calls the audit mirror makes: create a stream, put events, read a stream back.
extension LogsClient {
    /// Creates `stream` in `group`; an existing stream is fine. A missing group is `.groupNotFound`.
    func createLogStream(group: String, stream: String) throws(AuditTrailError) {
        struct Input: Encodable {
            var logGroupName: String
            var logStreamName: String
        }
        struct Empty: Decodable {}
        do {
            _ = try aws.callJSON("CreateLogStream", Input(logGroupName: group, logStreamName: stream), as: Empty.self)
        } catch {
            if error.code == "ResourceAlreadyExistsException" { return }
            if error.code == "ResourceNotFoundException" { throw .groupNotFound(group: group, region: aws.settings.region) }
            throw .aws(error)
        }
    }

    /// Why CloudWatch refused some events of a `PutLogEvents` batch (indexes into the batch).
    struct RejectedEvents: Decodable, Sendable {
        var tooNewLogEventStartIndex: Int?
        var tooOldLogEventEndIndex: Int?
        var expiredLogEventEndIndex: Int?
    }

    /// Puts `events` (chronological, one batch within CloudWatch's limits) into `group`/`stream`.
    func putLogEvents(group: String, stream: String, events: [(timestamp: Int64, message: String)]) throws(AuditTrailError) -> RejectedEvents? {
        struct Event: Encodable {
            var timestamp: Int64
            var message: String
        }
        struct Input: Encodable {
            var logGroupName: String
            var logStreamName: String
            var logEvents: [Event]
        }
        struct Output: Decodable {
            var rejectedLogEventsInfo: RejectedEvents?
        }
        do {
            let out = try aws.callJSON("PutLogEvents", Input(logGroupName: group, logStreamName: stream,
                                                            logEvents: events.map { Event(timestamp: $0.timestamp, message: $0.message) }),
                                       as: Output.self)
            return out.rejectedLogEventsInfo
        } catch {
            if error.code == "ResourceNotFoundException" { throw .streamNotFound(group: group, stream: stream, region: aws.settings.region) }
            throw .aws(error)
        }
    }

    /// Every event of `group`/`stream`, oldest first, following `nextForwardToken` until it repeats.
    func allLogEvents(group: String, stream: String) throws(AuditTrailError) -> [LogEvent] {
        struct Input: Encodable {
            var logGroupName: String
            var logStreamName: String
            var startFromHead = true
            var nextToken: String?
        }
        struct Page: Decodable {
            var events: [LogEvent]?
            var nextForwardToken: String?
        }
        var input = Input(logGroupName: group, logStreamName: stream)
        var events: [LogEvent] = []
        while true {
            let page: Page
            do {
                page = try aws.callJSON("GetLogEvents", input, as: Page.self)
            } catch {
                if error.code == "ResourceNotFoundException" { throw .streamNotFound(group: group, stream: stream, region: aws.settings.region) }
                throw .aws(error)
            }
            let got = page.events ?? []
            events += got
            // The forward token comes back unchanged at the end of the stream.
            guard let token = page.nextForwardToken, token != input.nextToken, !got.isEmpty else { break }
            input.nextToken = token
        }
        return events
    }

    /// The names of the streams in `group` (for a helpful message when a stream is not there).
    func streamNames(group: String) throws(AuditTrailError) -> [String] {
        struct Input: Encodable {
            var logGroupName: String
            var nextToken: String?
        }
        struct Stream: Decodable { var logStreamName: String }
        struct Page: Decodable {
            var logStreams: [Stream]?
            var nextToken: String?
        }
        var input = Input(logGroupName: group)
        var names: [String] = []
        var seen: Set<String> = []
        while true {
            let page: Page
            do {
                page = try aws.callJSON("DescribeLogStreams", input, as: Page.self)
            } catch {
                if error.code == "ResourceNotFoundException" { throw .groupNotFound(group: group, region: aws.settings.region) }
                throw .aws(error)
            }
            names += (page.logStreams ?? []).map(\.logStreamName)
            guard let token = page.nextToken, !token.isEmpty, seen.insert(token).inserted else { break }
            input.nextToken = token
        }
        return names
    }
}
