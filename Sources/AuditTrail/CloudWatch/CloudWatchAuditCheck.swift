import Foundation
import SystemIO
import OpsActions

/// Verifies the CloudWatch Logs copy of an audit log: its own hash chain (same rule and key as the
/// local log), and record by record against the local log.
public struct CloudWatchAuditCheck: Sendable {
    /// One event of the remote stream as the check sees it.
    public struct RemoteRecord: Sendable {
        /// 1-based position in the stream (after dropping repeats).
        public var position: Int
        public var timestamp: Int64
        public var text: String
        public var entry: AuditLogEntry?

        public var summary: String {
            "remote record #\(position) (\(entry?.record.summary ?? "not an audit record: \(text.prefix(60))"))"
        }
    }

    public struct Report: Sendable {
        public var group: String
        public var stream: String
        public var remote: [RemoteRecord] = []
        /// Events dropped because the same record came twice (a send retried after a lost reply).
        public var repeats = 0
        /// The remote copy's chain, as `runbook audit verify` checks a file.
        public var chain = AuditVerifier(key: nil).verify([])
        /// Local records with no remote copy, in log order.
        public var missingRemotely: [AuditLogEntry] = []
        /// Remote records whose hash is in the local log but whose text differs: edited remotely.
        public var editedRemotely: [(remote: RemoteRecord, local: AuditLogEntry)] = []
        /// Remote records that are not in the local log at all.
        public var notInLocal: [RemoteRecord] = []
        /// Whether a local log was compared at all.
        public var comparedWithLocal = false

        public var isClean: Bool { chain.isValid && missingRemotely.isEmpty && editedRemotely.isEmpty && notInLocal.isEmpty }

        /// The remote record at a 1-based position of the verified copy.
        public func remoteRecord(at position: Int) -> RemoteRecord? {
            position >= 1 && position <= remote.count ? remote[position - 1] : nil
        }
    }

    public var key: String?

    public init(key: String?) { self.key = key?.isEmpty == true ? nil : key }

    /// Reads `group`/`stream` with `client` and checks it against the log at `localPath` (if any).
    public func check(client: LogsClient, group: String, stream: String, localPath: String?) throws(AuditTrailError) -> Report {
        let events: [LogEvent]
        do {
            events = try client.allLogEvents(group: group, stream: stream)
        } catch {
            if case .streamNotFound = error {
                let names = (try? client.streamNames(group: group)) ?? []
                throw .configuration("\(error); streams in the group: \(names.isEmpty ? "none" : names.joined(separator: ", ")). Pass --stream NAME (the mirror names streams user@host)")
            }
            throw error
        }
        var local: [UInt8]?
        if let localPath {
            do {
                local = try AuditLog.contents(of: localPath)
            } catch where error.code == .notFound {
                local = nil
            } catch {
                throw .unreadableLog(path: localPath, reason: AuditLog.reason(error))
            }
        }
        return compare(events: events.map { (timestamp: $0.timestamp, message: $0.message) }, local: local, group: group, stream: stream)
    }

    /// The check itself, on events already read (oldest first) and the local log's bytes.
    public func compare(events: [(timestamp: Int64, message: String)], local: [UInt8]?, group: String, stream: String) -> Report {
        var report = Report(group: group, stream: stream)
        var seen: Set<String> = []
        var kept: [(timestamp: Int64, text: String, entry: AuditLogEntry?)] = []
        for event in events {
            guard seen.insert(event.message).inserted else {
                report.repeats += 1
                continue
            }
            let entry = AuditLogEntry.parse(Array((event.message + "\n").utf8)).first
            kept.append((event.timestamp, event.message, entry))
        }
        kept = Self.chainOrder(kept)
        report.remote = kept.enumerated().map { RemoteRecord(position: $0 + 1, timestamp: $1.timestamp, text: $1.text, entry: $1.entry) }
        let bytes = Array(kept.map(\.text).joined(separator: "\n").utf8) + (kept.isEmpty ? [] : [UInt8(ascii: "\n")])
        report.chain = AuditVerifier(key: key).verify(bytes)

        guard let local else { return report }
        report.comparedWithLocal = true
        let localEntries = AuditLogEntry.parse(local)
        var remoteByHash: [String: RemoteRecord] = [:]
        for r in report.remote {
            if let e = r.entry, remoteByHash[e.hash] == nil { remoteByHash[e.hash] = r }
        }
        var localByHash: [String: AuditLogEntry] = [:]
        for e in localEntries where localByHash[e.hash] == nil { localByHash[e.hash] = e }
        for e in localEntries {
            guard let r = remoteByHash[e.hash] else {
                report.missingRemotely.append(e)
                continue
            }
            if r.text != e.text { report.editedRemotely.append((r, e)) }
        }
        for r in report.remote where r.entry.flatMap({ localByHash[$0.hash] }) == nil {
            report.notInLocal.append(r)
        }
        return report
    }

    /// Events with the same timestamp may come back in any order; put each such group in chain
    /// order (each record after the one its `prev` names), leaving everything else as it came.
    static func chainOrder(_ events: [(timestamp: Int64, text: String, entry: AuditLogEntry?)])
        -> [(timestamp: Int64, text: String, entry: AuditLogEntry?)] {
        var out: [(timestamp: Int64, text: String, entry: AuditLogEntry?)] = []
        var index = 0
        while index < events.count {
            var end = index + 1
            while end < events.count && events[end].timestamp == events[index].timestamp { end += 1 }
            var group = Array(events[index..<end])
            while !group.isEmpty {
                let previous = out.last?.entry?.hash
                let hashes = Set(group.compactMap { $0.entry?.hash })
                let next = group.firstIndex { previous != nil && $0.entry?.record.prev == previous }
                    ?? group.firstIndex { $0.entry.map { !hashes.contains($0.record.prev) } ?? true } ?? 0
                out.append(group.remove(at: next))
            }
            index = end
        }
        return out
    }
}
