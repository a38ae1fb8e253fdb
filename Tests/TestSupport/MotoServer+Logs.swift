import Foundation
import OpsActions

extension MotoServer {
    /// A Logs client for this server in us-east-1, without retries (test reads and seeding).
    public func logsClient() -> LogsClient {
        LogsClient(AWSClient(service: .logs, settings: settings(region: "us-east-1"), transport: CurlTransport(),
                             retry: RetryPolicy(maxAttempts: 1)))
    }

    /// Calls a CloudWatch Logs operation in us-east-1; an empty reply is an empty object.
    @discardableResult
    public func logs(_ operation: String, _ body: [String: Any]) throws -> [String: Any] {
        let client = AWSClient(service: .logs, settings: settings(region: "us-east-1"), transport: CurlTransport(),
                               retry: RetryPolicy(maxAttempts: 1))
        let r = try client.send(operation: operation, headers: [(name: "Content-Type", value: "application/x-amz-json-1.1"),
                                                                (name: "X-Amz-Target", value: "Logs_20140328.\(operation)")],
                                body: .bytes(try JSONSerialization.data(withJSONObject: body)), parseError: AWSClient.jsonError)
        if r.body.isEmpty { return [:] }
        return (try JSONSerialization.jsonObject(with: r.body)) as? [String: Any] ?? [:]
    }

    public func createLogGroup(_ name: String) throws {
        try logs("CreateLogGroup", ["logGroupName": name])
    }

    /// The messages of a stream, oldest first.
    public func messages(group: String, stream: String) throws -> [String] {
        let r = try logs("GetLogEvents", ["logGroupName": group, "logStreamName": stream, "startFromHead": true])
        return ((r["events"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
    }
}
