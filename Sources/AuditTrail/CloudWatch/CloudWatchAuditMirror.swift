import Foundation
import OpsActions
import Synchronization
import SystemIO

/// Copies the local audit log, record by record and in order, to one CloudWatch Logs stream.
///
/// The local log is the source of truth: `AuditLog` writes and `fsync`s each record, then wakes
/// this mirror, whose own thread reads what is past its cursor (`AuditCursor`) and sends it with
/// `PutLogEvents` in batches (message: the record's line; timestamp: the record's time), retried
/// by the AWS client's retry policy. A failure is a loud warning, never an error of the run: the
/// records stay in the local log, the cursor stays where it was, and the next run that can reach
/// CloudWatch sends them first (and says so). After a failure the mirror stops trying until the
/// run ends, then tries once more.
public final class CloudWatchAuditMirror: AuditMirror, Sendable {
    public let group: String
    public let stream: String
    public let logPath: String
    let cursorPath: String
    let client: Result<LogsClient, AuditTrailError>
    let finishTimeout: Double
    let notify: @Sendable (_ message: String, _ isWarning: Bool) -> Void

    /// What the run's side and the sending thread tell each other.
    private struct Shared {
        var started = false
        /// A record was appended since the worker last looked.
        var wake = false
        /// The run ends: one last flush, then the worker stops.
        var finishing = false
        var done = false
        /// What the worker reports when done: records it could not send, and the last failure.
        var unsent = 0
        var failure: String?
    }

    private let shared = Mutex(Shared())
    /// Signalled for each `wake` or `finishing`; the worker sleeps on it between flushes.
    private let wakeup = DispatchSemaphore(value: 0)
    /// Signalled once, by the worker, after its last flush.
    private let finished = DispatchSemaphore(value: 0)

    /// The worker's own bookkeeping (only its thread touches it).
    private struct Progress {
        var streamReady = false
        var givenUp = false
        var failure: String?
        var unsent = 0
        var sent = 0
    }

    /// CloudWatch's limits for one `PutLogEvents` call.
    static let maxBatchEvents = 10_000
    static let maxBatchBytes = 1_048_576
    static let eventOverhead = 26
    static let maxBatchSpanMS: Int64 = 24 * 3600 * 1000 - 1

    /// The stream of one operator on one host: `user@host` (characters CloudWatch refuses become `_`).
    public static func streamName(user: String, host: String) -> String {
        String("\(user)@\(host)".map { $0 == ":" || $0 == "*" ? "_" : $0 }.prefix(512))
    }

    /// A mirror of `logPath` into `group`/`stream`; `client` is the CloudWatch Logs client, or why
    /// there is none (no credentials, a bad region). `notify` gets one line per event worth telling.
    public init(logPath: String, group: String, stream: String, stateDirectory: String, client: Result<LogsClient, AuditTrailError>,
                finishTimeout: Double = 20, notify: @escaping @Sendable (_ message: String, _ isWarning: Bool) -> Void) {
        self.logPath = logPath
        self.group = group
        self.stream = stream
        self.cursorPath = AuditCursor.path(stateDirectory: stateDirectory, log: logPath, group: group, stream: stream)
        self.client = client
        self.finishTimeout = finishTimeout
        self.notify = notify
    }

    var target: String { "CloudWatch Logs group \(group) stream \(stream)" }

    /// Says what earlier runs left unsent (unless another run is sending right now: the run must not
    /// wait for it), and starts the sending thread.
    public func start() {
        let first = shared.withLock { shared -> Bool in
            guard !shared.started else { return false }
            shared.started = true
            shared.wake = true
            return true
        }
        guard first else { return }
        var givenUp = false
        if case .failure(let error) = client {
            notify("audit: records are NOT copied to \(target): \(error). They stay in the local log \(logPath); the next run that can reach CloudWatch sends them", true)
            givenUp = true
        } else if let cursor = try? AuditCursorFile(path: cursorPath, log: logPath, group: group, stream: stream, wait: false),
                  let backlog = try? cursor.pending(), !backlog.isEmpty {
            notify("audit: sending \(backlog.count) record\(backlog.count == 1 ? "" : "s") that earlier runs could not send to \(target) (from line \(backlog[0].line) of \(logPath))", false)
        }
        wakeup.signal()
        let thread = Thread { [self, givenUp] in work(Progress(givenUp: givenUp)) }
        thread.name = "runbook-audit-cloudwatch"
        thread.start()
    }

    public func recordAppended() {
        shared.withLock { $0.wake = true }
        wakeup.signal()
    }

    /// Waits (up to `finishTimeout`, on a thread of its own, never the cooperative pool) for the
    /// last flush, then says what could not be sent. A cancelled task stops waiting, as a timeout does.
    public func finish() async {
        let (started, waiting) = shared.withLock { shared -> (Bool, Bool) in
            guard shared.started else { return (false, false) }
            shared.finishing = true
            return (true, !shared.done)
        }
        guard started else { return }
        if waiting {
            wakeup.signal()
            let finished = self.finished
            let timeout = finishTimeout
            let done = (try? await BlockingWork.run { finished.wait(timeout: .now() + timeout) == .success }) ?? false
            guard done else {
                notify("audit: still sending to \(target) after \(Int(finishTimeout))s; giving up for this run. Records not confirmed stay queued and the next run sends them (a record CloudWatch got meanwhile may then appear twice remotely; `runbook audit verify --cloudwatch` ignores such repeats)", true)
                return
            }
        }
        let (unsent, failure) = shared.withLock { ($0.unsent, $0.failure) }
        if unsent > 0 {
            notify("audit: \(unsent) record\(unsent == 1 ? " was" : "s were") NOT copied to \(target)\(failure.map { " (\($0))" } ?? ""). They are safe in \(logPath) and queued: the next run sends them. `runbook audit verify --cloudwatch \(group)` lists what is missing remotely", true)
        }
    }

    // MARK: - Worker

    private func work(_ start: Progress) {
        var progress = start
        while true {
            wakeup.wait()
            let (woken, last) = shared.withLock { shared -> (Bool, Bool) in
                defer { shared.wake = false }
                return (shared.wake, shared.finishing)
            }
            if last {
                // One more attempt at the end, even after a failure earlier in the run.
                if case .success = client { progress.givenUp = false }
                flush(&progress)
                shared.withLock { shared in
                    shared.unsent = progress.unsent
                    shared.failure = progress.failure
                    shared.done = true
                }
                finished.signal()
                return
            }
            if woken && !progress.givenUp { flush(&progress) }
        }
    }

    private func flush(_ progress: inout Progress) {
        guard !progress.givenUp, case .success(let client) = client else { return }
        let cursor: AuditCursorFile
        let pending: [AuditLogEntry]
        do {
            cursor = try AuditCursorFile(path: cursorPath, log: logPath, group: group, stream: stream)
            pending = try cursor.pending()
        } catch {
            fail(error, count: 0, &progress)
            return
        }
        if let reason = cursor.resetReason { notify("audit: \(reason)", true) }
        progress.unsent = pending.count
        guard !pending.isEmpty else { return }
        do {
            if !progress.streamReady {
                try client.createLogStream(group: group, stream: stream)
                progress.streamReady = true
            }
            for batch in Self.batches(pending) {
                let events = Self.events(batch, notBefore: cursor.cursor.lastTimestamp ?? 0)
                if let rejected = try client.putLogEvents(group: group, stream: stream, events: events) {
                    reportRejected(rejected, batch: batch)
                }
                cursor.advance(past: batch, lastTimestamp: events.last?.timestamp)
                progress.unsent -= batch.count
                progress.sent += batch.count
            }
            if progress.failure != nil {
                notify("audit: \(target) is reachable again; the records it missed are sent", false)
                progress.failure = nil
            }
        } catch {
            fail(error, count: progress.unsent, &progress)
        }
    }

    private func fail(_ error: AuditTrailError, count: Int, _ progress: inout Progress) {
        progress.givenUp = true
        if progress.failure == nil {
            notify("audit: cannot copy \(count) record\(count == 1 ? "" : "s") to \(target): \(error). The local log \(logPath) has them; the mirror tries again when the run ends, else the next run sends them", true)
        }
        progress.failure = "\(error)"
    }

    private func reportRejected(_ rejected: LogsClient.RejectedEvents, batch: [AuditLogEntry]) {
        var lines: [String] = []
        if let end = rejected.tooOldLogEventEndIndex ?? rejected.expiredLogEventEndIndex, end >= 0 {
            lines.append("\(min(end + 1, batch.count)) too old (up to \(batch[min(end, batch.count - 1)].summary))")
        }
        if let start = rejected.tooNewLogEventStartIndex, start < batch.count {
            lines.append("\(batch.count - start) dated in the future (from \(batch[start].summary))")
        }
        if !lines.isEmpty {
            notify("audit: CloudWatch refused records of \(logPath): \(lines.joined(separator: "; ")); they stay only in the local log and `runbook audit verify --cloudwatch` reports them missing", true)
        }
    }

    // MARK: - Batches

    /// Pending records split into `PutLogEvents` calls within CloudWatch's limits (count, bytes, 24 h).
    static func batches(_ entries: [AuditLogEntry]) -> [[AuditLogEntry]] {
        var batches: [[AuditLogEntry]] = []
        var current: [AuditLogEntry] = []
        var bytes = 0
        var first: Int64 = 0
        for (entry, time) in zip(entries, timestamps(entries)) {
            let size = entry.text.utf8.count + eventOverhead
            if !current.isEmpty && (current.count == maxBatchEvents || bytes + size > maxBatchBytes || time - first > maxBatchSpanMS) {
                batches.append(current)
                current = []
                bytes = 0
            }
            if current.isEmpty { first = time }
            current.append(entry)
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Each record's time in milliseconds, never earlier than the one before nor than `notBefore`
    /// (CloudWatch keeps a stream in time order; a clock stepping back, or two runs appending to
    /// one log at once, must not reorder the chain).
    static func timestamps(_ entries: [AuditLogEntry], notBefore: Int64 = 0) -> [Int64] {
        var last = notBefore
        return entries.map { entry in
            let t = max(last, entry.record.epochMilliseconds ?? Int64(Date().timeIntervalSince1970 * 1000))
            last = t
            return t
        }
    }

    /// A batch as `PutLogEvents` events, dated no earlier than `notBefore` (the last record sent).
    static func events(_ batch: [AuditLogEntry], notBefore: Int64 = 0) -> [(timestamp: Int64, message: String)] {
        zip(timestamps(batch, notBefore: notBefore), batch).map { (timestamp: $0, message: $1.text) }
    }
}
