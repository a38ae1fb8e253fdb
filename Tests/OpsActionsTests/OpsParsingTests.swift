import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Parsing the ops targets: Redis URLs, S3 locations, INFO replies, log lines, Slack settings")
struct OpsParsingTests {
    @Test("redis URLs: host and port, the password from :pass@ or user:pass@, TLS refused")
    func redisURLs() throws {
        let plain = try RedisProbe.Target(url: "redis://cache.internal:6380")
        #expect(plain == RedisProbe.Target(host: "cache.internal", port: 6380))
        #expect(try RedisProbe.Target(url: "redis://cache.internal").port == 6379)
        let withPass = try RedisProbe.Target(url: "redis://:s%40cret@127.0.0.1:7000/0")
        #expect(withPass.password == "s@cret")
        #expect(withPass.username == nil)
        #expect(withPass.endpoint == "127.0.0.1:7000")
        let acl = try RedisProbe.Target(url: "redis://ops:pw@127.0.0.1:7000")
        #expect(acl.username == "ops" && acl.password == "pw")
        #expect { try RedisProbe.Target(url: "rediss://127.0.0.1:7000") } throws: { "\($0)".contains("TLS") }
        #expect { try RedisProbe.Target(url: "http://127.0.0.1:7000") } throws: { "\($0)".contains("not redis") }
    }

    @Test("INFO replies are read as key:value lines, section headers skipped")
    func info() {
        let info = RedisInfo("# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nmaxmemory_policy:allkeys-lru\r\n")
        #expect(info.int("used_memory") == 1_048_576)
        #expect(info["maxmemory_policy"] == "allkeys-lru")
        #expect(info["# Memory"] == nil)
    }

    @Test("s3:// locations keep spaces, Unicode and slashes in the key; local paths are not locations")
    func s3Locations() {
        #expect(S3Location("s3://backups/daily/2026 11 27/덤프.sql.gz") == S3Location(bucket: "backups", key: "daily/2026 11 27/덤프.sql.gz"))
        #expect(S3Location("s3://backups") == S3Location(bucket: "backups", key: ""))
        #expect(S3Location("/tmp/dump.sql") == nil)
        #expect(S3Location("s3:///key") == nil)
    }

    @Test("an event prints as the AWS CLI does: ISO time with microseconds, stream, message without its newline")
    func eventLine() {
        let e = LogEvent(eventId: "1", logStreamName: "ecs/api/abc", timestamp: 1_764_221_608_123, message: "GET /health 200\n")
        #expect(e.line == "2025-11-27T05:33:28.123000+00:00 ecs/api/abc GET /health 200")
    }

    @Test("the Slack webhook comes from the named variable; errors name the variable, never the value")
    func slackSettings() throws {
        #expect(throws: SlackConfigurationError.variableUnset("HOOK")) { try SlackNotifier.fromEnvironment(variable: "HOOK", environment: [:]) }
        #expect { try SlackNotifier.fromEnvironment(variable: "HOOK", environment: ["HOOK": "not a url \(Canary.webhookToken)"]) } throws: { e in
            "\(e)".contains("HOOK") && !"\(e)".contains(Canary.webhookToken)
        }
        let fake = FakeTransport()
        let n = try SlackNotifier.fromEnvironment(variable: "HOOK", environment: ["HOOK": "https://hooks.example/services/\(Canary.webhookToken)"],
                                                  transport: fake)
        #expect(n.post(text: "x") == .delivered)
        #expect(fake.requests.first?.url.path == "/services/\(Canary.webhookToken)")
    }

    @Test("follow polls until the deadline and emits an event seen again on a later page only once")
    func tailerDedupes() throws {
        let page1 = #"{"events":[{"eventId":"a","logStreamName":"s","timestamp":1000,"message":"one"},{"eventId":"b","logStreamName":"s","timestamp":2000,"message":"two"}]}"#
        // The next poll starts at 2000 (inclusive): "b" comes back, with a new event at the same millisecond.
        let page2 = #"{"events":[{"eventId":"b","logStreamName":"s","timestamp":2000,"message":"two"},{"eventId":"c","logStreamName":"t","timestamp":2000,"message":"three"}]}"#
        let fake = FakeTransport([FakeTransport.json(200, page1), FakeTransport.json(200, page2)],
                                 fallback: FakeTransport.json(200, page2))
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "x"), region: "ap-northeast-2")
        let clock = ManualClock()
        let tailer = LogTailer(client: LogsClient(AWSClient(service: .logs, settings: settings, transport: fake)), pollInterval: 2,
                               sleeper: clock, clock: { clock.now })
        var seen: [String] = []
        let summary = try tailer.tail(group: "g", since: Date(timeIntervalSince1970: 0), followFor: 5) { seen.append($0.message) }
        #expect(seen == ["one", "two", "three"])
        #expect(summary.polls == 4)  // at 0, 2, 4 and 5 seconds
        let bodies = fake.requests.map { String(decoding: { if case .bytes(let d) = $0.body { return d } else { return Data() } }($0), as: UTF8.self) }
        #expect(bodies.first?.contains(#""startTime":0"#) == true)
        #expect(bodies.dropFirst().allSatisfy { $0.contains(#""startTime":2000"#) })
        #expect(fake.requests.allSatisfy { $0.header("X-Amz-Target") == "Logs_20140328.FilterLogEvents" })
    }

    @Test("a tail hands over each page's events as the page arrives, not after the last page")
    func tailStreamsPages() throws {
        let page1 = #"{"events":[{"eventId":"a","logStreamName":"s","timestamp":1000,"message":"one"}],"nextToken":"t1"}"#
        let page2 = #"{"events":[{"eventId":"b","logStreamName":"s","timestamp":2000,"message":"two"}]}"#
        let fake = FakeTransport([FakeTransport.json(200, page1), FakeTransport.json(200, page2)])
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "x"), region: "ap-northeast-2")
        let tailer = LogTailer(client: LogsClient(AWSClient(service: .logs, settings: settings, transport: fake)))
        var requestsAtEmit: [String: Int] = [:]
        try tailer.tail(group: "g", since: Date(timeIntervalSince1970: 0)) { requestsAtEmit[$0.message] = fake.requests.count }
        #expect(requestsAtEmit == ["one": 1, "two": 2])
    }
}

/// A clock the sleeper advances: no real waiting in unit tests.
final class ManualClock: Sleeper, @unchecked Sendable {
    // `@unchecked`: `current` is only touched while `lock` is held.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_764_000_000)
    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }
    func sleep(seconds: Double) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }
}
