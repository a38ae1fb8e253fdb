import Foundation
import OpsActions

/// A fresh CloudWatch Logs group in the shared moto, and a way to put events into it.
public struct LogGroupFixture: Sendable {
    public let moto: MotoServer
    public let group: String
    public let now = Date()

    struct Empty: Decodable {}

    public init() throws {
        moto = try OpsMoto.server()
        group = "/ecs/tail-\(UUID().uuidString.prefix(8))"
        struct Group: Encodable { var logGroupName: String }
        let _: Empty = try LogsClient(settings: moto.settings()).aws.callJSON("CreateLogGroup", Group(logGroupName: group))
    }

    public var client: LogsClient { LogsClient(settings: moto.settings()) }

    /// Puts `messages` in `stream` (created if needed), one millisecond apart from `at`.
    public func put(_ stream: String, _ messages: [String], at: Date) throws {
        struct Stream: Encodable { var logGroupName: String; var logStreamName: String }
        struct Event: Encodable { var timestamp: Int64; var message: String }
        struct Put: Encodable { var logGroupName: String; var logStreamName: String; var logEvents: [Event] }
        let aws = client.aws
        let _: Empty? = try? aws.callJSON("CreateLogStream", Stream(logGroupName: group, logStreamName: stream))
        let base = Int64(at.timeIntervalSince1970 * 1000)
        let events = messages.enumerated().map { Event(timestamp: base + Int64($0.offset), message: $0.element) }
        let _: Empty = try aws.callJSON("PutLogEvents", Put(logGroupName: group, logStreamName: stream, logEvents: events))
    }
}
