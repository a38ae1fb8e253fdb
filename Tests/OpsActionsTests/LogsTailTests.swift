import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("CloudWatch Logs tail against moto")
struct LogsTailTests {
    let logs: LogGroupFixture
    var moto: MotoServer { logs.moto }
    var group: String { logs.group }
    var now: Date { logs.now }
    var client: LogsClient { logs.client }

    init() throws { logs = try LogGroupFixture() }

    func put(_ stream: String, _ messages: [String], at: Date) throws { try logs.put(stream, messages, at: at) }

    @Test("every event of several streams, across many pages, once each, in time order")
    func pagesAndStreams() throws {
        for (i, stream) in ["web/1", "web/2", "worker/1"].enumerated() {
            try put(stream, (0..<9).map { "\(stream) event \($0)" }, at: now.addingTimeInterval(Double(-300 + i * 10)))
        }
        var seen: [LogEvent] = []
        let summary = try LogTailer(client: client, pageLimit: 4).tail(group: group, since: now.addingTimeInterval(-3600)) { seen.append($0) }
        #expect(summary.events == 27)
        #expect(seen.count == 27)
        #expect(Set(seen.map(\.message)).count == 27)
        #expect(Set(seen.compactMap(\.logStreamName)) == ["web/1", "web/2", "worker/1"])
        #expect(seen.map(\.timestamp) == seen.map(\.timestamp).sorted())
        // The page limit really paged: a single call returns at most 4.
        struct Input: Encodable { var logGroupName: String; var limit: Int }
        let page: LogsClient.FilterPage = try client.aws.callJSON("FilterLogEvents", Input(logGroupName: group, limit: 4))
        #expect(page.events.count == 4)
        #expect(page.nextToken != nil)
        let line = try #require(seen.first).line
        #expect(line.hasSuffix(" web/1 web/1 event 0"))
        #expect(line.contains("T") && line.contains("+00:00"))
    }

    @Test("--since leaves out older events; --filter-pattern keeps only matches")
    func sinceAndFilter() throws {
        try put("api", ["old ERROR boom", "old fine"], at: now.addingTimeInterval(-7200))
        try put("api", ["new ERROR crash", "new fine", "new ERROR again"], at: now.addingTimeInterval(-60))
        var recent: [String] = []
        try LogTailer(client: client).tail(group: group, since: try LogSince.parse("10m", now: now)) { recent.append($0.message) }
        #expect(recent == ["new ERROR crash", "new fine", "new ERROR again"])
        var errors: [String] = []
        try LogTailer(client: client, pageLimit: 1).tail(group: group, since: try LogSince.parse("3h", now: now),
                                                         filterPattern: "ERROR") { errors.append($0.message) }
        #expect(errors == ["old ERROR boom", "new ERROR crash", "new ERROR again"])
        let iso = ISO8601DateFormatter().string(from: now.addingTimeInterval(-600))
        var fromISO: [String] = []
        try LogTailer(client: client).tail(group: group, since: try LogSince.parse(iso, now: now)) { fromISO.append($0.message) }
        #expect(fromISO.count == 3)
    }

    @Test("--follow shows events put while following exactly once, and stops at its deadline")
    func follow() throws {
        try put("api", ["before 1", "before 2"], at: now.addingTimeInterval(-30))
        let tailer = LogTailer(client: client, pageLimit: 2, pollInterval: 0.3)
        let collected = Collected()
        let done = DispatchSemaphore(value: 0)
        let group = self.group
        let since = now.addingTimeInterval(-120)
        Thread {
            // 8 s of following leaves a wide margin for the puts below on a loaded machine.
            _ = try? tailer.tail(group: group, since: since, followFor: 8) { collected.add($0.message) }
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.7)
        try put("api", ["during 1", "during 2", "during 3"], at: Date())
        Thread.sleep(forTimeInterval: 0.7)
        try put("worker", ["during 4"], at: Date())
        #expect(done.wait(timeout: .now() + 30) == .success, "follow did not stop at its deadline")
        #expect(collected.values == ["before 1", "before 2", "during 1", "during 2", "during 3", "during 4"])
    }

    @Test("a missing log group is an error that names it")
    func missingGroup() throws {
        #expect { try LogTailer(client: client).tail(group: "/ecs/does-not-exist", since: now) { _ in } } throws: { e in
            "\(e)".contains("log group /ecs/does-not-exist does not exist in ap-northeast-2")
        }
    }

    @Test("bad --since values are refused with the accepted forms")
    func badSince() {
        #expect(throws: LogsError.self) { try LogSince.parse("ten minutes", now: now) }
        #expect(throws: LogsError.self) { try LogSince.parse("10x", now: now) }
        #expect((try? LogSince.parse("1h30m", now: now)) == now.addingTimeInterval(-5400))
        #expect((try? LogSince.parse("2026-11-27T05:00:00Z", now: now)) == (try? LogSince.parse("2026-11-27T14:00:00+09:00", now: now)))
    }
}

/// Strings collected from another thread.
final class Collected: @unchecked Sendable {
    // `@unchecked`: `items` is only touched while `lock` is held.
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) {
        lock.lock()
        items.append(s)
        lock.unlock()
    }
    var values: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}
