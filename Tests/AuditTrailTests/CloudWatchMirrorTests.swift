import Foundation
import OpsActions
import Synchronization
import Testing
import TestSupport
@testable import AuditTrail

/// The mirror driven through the real `AuditLog` API against a real moto server.
@Suite("CloudWatch audit mirror (moto)")
struct CloudWatchMirrorTests {
    static let group = "/runbook/audit"

    /// What the mirror told the operator.
    final class Notes: Sendable {
        private let items = Mutex<[(text: String, warning: Bool)]>([])
        var warnings: [String] { items.withLock { $0.filter(\.warning).map(\.text) } }
        var notices: [String] { items.withLock { $0.filter { !$0.warning }.map(\.text) } }
        func add(_ text: String, _ warning: Bool) { items.withLock { $0.append((text, warning)) } }
    }

    struct Scratch {
        let path = NSTemporaryDirectory() + "runbook-mirror-" + UUID().uuidString
        var log: String { path + "/audit.jsonl" }
        var state: String { path + "/state" }
        func cleanup() { try? FileManager.default.removeItem(atPath: path) }
    }

    static func mirror(_ scratch: Scratch, stream: String, moto: MotoServer, notes: Notes) -> CloudWatchAuditMirror {
        let m = CloudWatchAuditMirror(logPath: scratch.log, group: group, stream: stream, stateDirectory: scratch.state,
                                      client: .success(moto.logsClient()), notify: notes.add)
        m.start()
        return m
    }

    /// Appends `count` records of run `run`; several share one millisecond, as fast steps do.
    static func appendRecords(_ log: AuditLog, run: String, count: Int) throws {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let base = Date()
        for i in 0..<count {
            var r = AuditRecord(time: f.string(from: base.addingTimeInterval(Double(i / 3) * 0.001)), event: i == 0 ? .runStart : .stepEnd, run: run)
            r.operator = AuditRecord.Operator(user: "alice", host: "ops-laptop")
            r.step = i == 0 ? nil : "step-\(i)"
            r.status = "ok"
            r.outputExcerpt = "line | with \"quotes\" and ünïcode \(i)"
            try log.append(r)
        }
    }

    @Test func recordsArriveInOrderInTheOperatorsStream() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try moto.createLogGroup(Self.group)
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let notes = Notes()
        let stream = CloudWatchAuditMirror.streamName(user: "alice", host: "ops:laptop")
        #expect(stream == "alice@ops_laptop")
        let log = try AuditLog(path: scratch.log, key: nil)
        log.mirror = Self.mirror(scratch, stream: stream, moto: moto, notes: notes)
        try Self.appendRecords(log, run: "run-1", count: 40)
        await log.mirror?.finish()

        let local = AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log))))
        #expect(local.count == 40)
        #expect(try moto.messages(group: Self.group, stream: stream) == local.map(\.text))
        #expect(notes.warnings.isEmpty)

        let report = try CloudWatchAuditCheck(key: nil).check(client: moto.logsClient(), group: Self.group, stream: stream, localPath: scratch.log)
        #expect(report.isClean)
        #expect(report.chain.records == 40)
        #expect(report.chain.head == log.head)
    }

    @Test func aMissingGroupIsALoudWarningAndTheNextRunSendsTheBacklog() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let stream = "alice@ops-laptop"

        let first = Notes()
        let log1 = try AuditLog(path: scratch.log, key: nil)
        log1.mirror = Self.mirror(scratch, stream: stream, moto: moto, notes: first)
        try Self.appendRecords(log1, run: "run-1", count: 3)
        await log1.mirror?.finish()
        #expect(first.warnings.contains { $0.contains("group /runbook/audit does not exist in us-east-1") && $0.contains("create-log-group") })
        #expect(first.warnings.contains { $0.contains("3 records were NOT copied") })
        #expect(AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log)))).count == 3)

        try moto.createLogGroup(Self.group)
        let second = Notes()
        let log2 = try AuditLog(path: scratch.log, key: nil)
        log2.mirror = Self.mirror(scratch, stream: stream, moto: moto, notes: second)
        #expect(second.notices.contains { $0.contains("sending 3 records that earlier runs could not send") })
        try Self.appendRecords(log2, run: "run-2", count: 2)
        await log2.mirror?.finish()
        #expect(second.warnings.isEmpty)
        let local = AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log))))
        #expect(try moto.messages(group: Self.group, stream: stream) == local.map(\.text))
    }

    @Test func twoRunsSharingALogSendEachRecordOnceAndInOrder() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try moto.createLogGroup(Self.group)
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let stream = "alice@ops-laptop"
        // Two runs (of two services) on one machine: two AuditLog handles on one file, two mirrors.
        let notes = Notes()
        let logs = try (0..<2).map { _ in try AuditLog(path: scratch.log, key: nil) }
        for log in logs { log.mirror = Self.mirror(scratch, stream: stream, moto: moto, notes: notes) }
        await withTaskGroup(of: Void.self) { group in
            for (i, log) in logs.enumerated() {
                group.addTask { try? Self.appendRecords(log, run: "run-\(i)", count: 25) }
            }
        }
        for log in logs { await log.mirror?.finish() }
        let local = AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log))))
        #expect(local.count == 50)
        #expect(try moto.messages(group: Self.group, stream: stream) == local.map(\.text))
        #expect(notes.warnings.isEmpty)
        let report = try CloudWatchAuditCheck(key: nil).check(client: moto.logsClient(), group: Self.group, stream: stream, localPath: scratch.log)
        #expect(report.isClean && report.repeats == 0)
    }

    @Test func aRecordDatedBeforeOneAlreadySentStaysAfterItRemotely() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try moto.createLogGroup(Self.group)
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let stream = "alice@ops-laptop"
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let now = Date()
        // Two flushes; the second record is dated a minute earlier (the clock stepped back, or a
        // run appending to the same log took its time a moment before the other's record).
        for (run, time) in [("run-1", now), ("run-2", now.addingTimeInterval(-60))] {
            let log = try AuditLog(path: scratch.log, key: nil)
            log.mirror = Self.mirror(scratch, stream: stream, moto: moto, notes: Notes())
            var r = AuditRecord(time: f.string(from: time), event: .runStart, run: run)
            r.operator = AuditRecord.Operator(user: "alice", host: "ops-laptop")
            try log.append(r)
            await log.mirror?.finish()
        }
        let local = AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log)))).map(\.text)
        #expect(local.count == 2)
        #expect(try moto.messages(group: Self.group, stream: stream) == local, "CloudWatch keeps a stream in timestamp order")
    }

    @Test func aReplacedLogIsSentFromItsStartAndSaysSo() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try moto.createLogGroup(Self.group)
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let stream = "alice@ops-laptop"
        let log1 = try AuditLog(path: scratch.log, key: nil)
        log1.mirror = Self.mirror(scratch, stream: stream, moto: moto, notes: Notes())
        try Self.appendRecords(log1, run: "run-1", count: 3)
        await log1.mirror?.finish()
        let old = try moto.messages(group: Self.group, stream: stream)
        #expect(old.count == 3)

        try FileManager.default.removeItem(atPath: scratch.log)
        let notes = Notes()
        let log2 = try AuditLog(path: scratch.log, key: nil)
        log2.mirror = Self.mirror(scratch, stream: stream, moto: moto, notes: notes)
        try Self.appendRecords(log2, run: "run-2", count: 2)
        await log2.mirror?.finish()
        #expect(notes.warnings.contains { $0.contains("no longer holds the last record sent (it was replaced or rotated); sending it from its start") })
        let fresh = AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log)))).map(\.text)
        #expect(try moto.messages(group: Self.group, stream: stream) == old + fresh)
    }

    @Test func aHangingEndpointHoldsUpTheEndOfARunOnlyUpToTheLimit() async throws {
        let hanging = try HangingServer()
        defer { hanging.stop() }
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "fake", source: "test"),
                                   region: "us-east-1", globalEndpoint: hanging.endpoint)
        let client = LogsClient(AWSClient(service: .logs, settings: settings, transport: CurlTransport(), retry: RetryPolicy(maxAttempts: 1),
                                          timeout: 60))
        let notes = Notes()
        let mirror = CloudWatchAuditMirror(logPath: scratch.log, group: Self.group, stream: "alice@ops-laptop", stateDirectory: scratch.state,
                                           client: .success(client), finishTimeout: 1, notify: notes.add)
        mirror.start()
        let log = try AuditLog(path: scratch.log, key: nil)
        log.mirror = mirror
        try Self.appendRecords(log, run: "run-1", count: 2)
        await mirror.finish()
        #expect(notes.warnings.contains { $0.contains("still sending to CloudWatch Logs group /runbook/audit stream alice@ops-laptop after 1s; giving up for this run") })
        #expect(AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log)))).count == 2)
    }

    @Test func batchesKeepWithinCloudWatchLimits() throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let log = try AuditLog(path: scratch.log, key: nil)
        for time in ["2026-11-25T00:00:00.000Z", "2026-11-25T12:00:00.000Z", "2026-11-26T00:30:00.000Z", "2026-11-26T00:29:00.000Z"] {
            try log.append(AuditRecord(time: time, event: .runStart, run: "r"))
        }
        let entries = AuditLogEntry.parse(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log))))
        let batches = CloudWatchAuditMirror.batches(entries)
        // 24.5 h after the first record starts a new call; a clock stepping back keeps the order.
        #expect(batches.map(\.count) == [2, 2])
        let times = CloudWatchAuditMirror.events(batches[1]).map(\.timestamp)
        #expect(times[0] == times[1])
    }

    @Test func remoteEventsWithOneTimestampAreCheckedInChainOrder() throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let log = try AuditLog(path: scratch.log, key: nil)
        for step in ["a", "b", "c"] {
            var r = AuditRecord(time: "2026-11-27T06:00:00.000Z", event: .stepEnd, run: "r")
            r.step = step
            try log.append(r)
        }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: scratch.log)))
        let lines = AuditLogEntry.parse(bytes).map(\.text)
        let shuffled = [lines[2], lines[0], lines[1], lines[0]].map { (timestamp: Int64(1), message: $0) }
        let report = CloudWatchAuditCheck(key: nil).compare(events: shuffled, local: bytes, group: "g", stream: "s")
        #expect(report.isClean)
        #expect(report.repeats == 1)
        #expect(report.remote.map { $0.entry?.record.step } == ["a", "b", "c"])
    }
}
