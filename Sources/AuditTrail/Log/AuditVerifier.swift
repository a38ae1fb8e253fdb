import Foundation
import SystemIO

/// Checks an audit log's chain: every record's hash matches its content, and every record's
/// `prev` is the hash of the record before it.
///
/// An edited record fails its own hash (or, with a recomputed SHA-256 chain, the HMAC when
/// `RUNBOOK_AUDIT_KEY` is set); a deleted or moved record breaks the `prev` link of the record
/// after it. Any line that is not a record of the chain is tampering, except a torn last line (a
/// writer killed mid-write; the next writer cuts it and notes the cut in its record). A run with
/// no run-end record is an interruption, reported as a warning. A cut-off tail leaves a valid
/// chain: only the chain head seen outside the file (printed by the run, sent to Slack, held by
/// the CloudWatch copy) catches it, through `expectedHead`.
public struct AuditVerifier: Sendable {
    public struct Report: Sendable, Equatable {
        public var records = 0
        public var runs = 0
        /// Hash of the last good record.
        public var head = AuditChain.genesis
        /// The first bad line (1-based) and what is wrong with it.
        public var failure: (line: Int, message: String)?
        public var warnings: [String] = []

        public var isValid: Bool { failure == nil }

        public static func == (a: Report, b: Report) -> Bool {
            a.records == b.records && a.runs == b.runs && a.head == b.head && a.failure?.line == b.failure?.line
                && a.failure?.message == b.failure?.message && a.warnings == b.warnings
        }
    }

    public let key: String?
    /// A chain head the log must contain (`--expect-head`): with a prefix `sha256:` or
    /// `hmac-sha256:` or without.
    public let expectedHead: String?

    public init(key: String?, expectedHead: String? = nil) {
        self.key = key?.isEmpty == true ? nil : key
        self.expectedHead = expectedHead.map(Self.bareHash)
    }

    /// `sha256:ab12...` or `ab12...` -> `ab12...`.
    static func bareHash(_ head: String) -> String {
        let trimmed = head.trimmingCharacters(in: .whitespaces).lowercased()
        guard let colon = trimmed.lastIndex(of: ":") else { return trimmed }
        return String(trimmed[trimmed.index(after: colon)...])
    }

    public func verify(path: String) throws -> Report {
        let bytes: [UInt8]
        do {
            bytes = try AuditLog.contents(of: path)
        } catch {
            throw AuditLogError("cannot read the audit log \(path): \(AuditLog.reason(error))")
        }
        return verify(bytes)
    }

    public func verify(_ bytes: [UInt8]) -> Report {
        var report = verifyChain(bytes)
        if report.failure == nil, let expected = expectedHead, !sawHash(expected, in: bytes) {
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            report.failure = (max(lines, 1), "the log does not hold the expected chain head \(expected): records were cut from its end "
                + "(it ends with \(report.records) records, head \(report.head))")
        }
        return report
    }

    /// Whether a complete record of `bytes` carries `hash`.
    private func sawHash(_ hash: String, in bytes: [UInt8]) -> Bool {
        for line in bytes.split(separator: UInt8(ascii: "\n")) where AuditChain.split(line: Array(line))?.hash == hash {
            return true
        }
        return false
    }

    private func verifyChain(_ bytes: [UInt8]) -> Report {
        var report = Report()
        guard !bytes.isEmpty else { return report }
        let chain = AuditChain(key: key)
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let lastIndex = bytes.last == UInt8(ascii: "\n") ? lines.count - 2 : lines.count - 1
        var prev = AuditChain.genesis
        var prevLine = 0
        var open: [String: (line: Int, time: String, target: String, last: String)] = [:]
        var runOrder: [String] = []
        let decoder = JSONDecoder()
        for (index, raw) in lines.enumerated() where index <= lastIndex {
            let lineNo = index + 1
            let line = Array(raw)
            if line.isEmpty {
                report.failure = (lineNo, "empty line inside the log")
                return report
            }
            guard let parts = AuditChain.split(line: line), let record = try? decoder.decode(AuditRecord.self, from: Data(parts.body)) else {
                if index == lastIndex && bytes.last != UInt8(ascii: "\n") {
                    report.warnings.append("line \(lineNo) is torn (\(line.count) bytes, no complete record): the writer was interrupted; the next run cuts it")
                    break
                }
                report.failure = (lineNo, "not an audit record (a line was inserted or edited)")
                return report
            }
            if key != nil, record.mode != "hmac-sha256" {
                report.failure = (lineNo, "record is not HMAC-signed (mode \(record.mode)) although RUNBOOK_AUDIT_KEY is set: it was rewritten without the key")
                return report
            }
            if key == nil, record.mode == "hmac-sha256" {
                report.failure = (lineNo, "record is HMAC-signed; set RUNBOOK_AUDIT_KEY to the log's key to verify it")
                return report
            }
            guard record.prev == prev else {
                let what = prevLine == 0 ? "the start of the log" : "line \(prevLine)"
                report.failure = (lineNo, "the chain breaks here: this record does not follow \(what) (a record was deleted, moved, inserted or edited)")
                return report
            }
            guard chain.hash(parts.body) == parts.hash else {
                report.failure = (lineNo, key == nil ? "the record was edited (its hash does not match its content)"
                                              : "the record's HMAC does not match (edited, or the chain was recomputed without the key)")
                return report
            }
            if let cut = record.tornTail {
                report.warnings.append("line \(lineNo): the writer cut a torn line left by an interrupted write (\(cut))")
            }
            prev = parts.hash
            prevLine = lineNo
            report.records += 1
            report.head = parts.hash
            switch record.event {
            case .runStart:
                open[record.run] = (lineNo, record.time, "\(record.doc ?? "?")#\(record.section ?? "?") env \(record.env ?? "?")", "run-start")
                runOrder.append(record.run)
            case .runEnd:
                open[record.run] = nil
            case .refused:
                if !runOrder.contains(record.run) { runOrder.append(record.run) }
                open[record.run] = nil
            case .stepStart, .stepEnd:
                open[record.run]?.last = "\(record.event.rawValue) \(record.step ?? "?")"
            }
        }
        report.runs = runOrder.count
        for run in runOrder {
            if let o = open[run] {
                report.warnings.append("run \(run) (\(o.target), started \(o.time), line \(o.line)) has no run-end record: interrupted after \(o.last)")
            }
        }
        return report
    }
}
