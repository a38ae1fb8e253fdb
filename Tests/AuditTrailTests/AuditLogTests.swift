import Foundation
import Testing
import TestSupport
@testable import AuditTrail

@Suite("Audit log")
struct AuditLogTests {
    /// Writes a small log of two runs (the second left without a run-end) and returns its lines.
    func writeLog(_ path: String, key: String? = nil, finished: Bool = true) throws -> [String] {
        let log = try AuditLog(path: path, key: key)
        var events: [(AuditRecord.Event, String, String?)] = [
            (.runStart, "run-1", nil), (.stepStart, "run-1", "health"), (.stepEnd, "run-1", "health"),
            (.stepStart, "run-1", "redeploy"), (.stepEnd, "run-1", "redeploy"), (.runEnd, "run-1", nil),
        ]
        if !finished { events.removeLast() }
        for (event, run, step) in events {
            var r = AuditRecord(time: "2026-11-27T05:00:00.000Z", event: event, run: run)
            r.env = "staging"
            r.doc = "docs/operations/incident-response.md"
            r.section = "api-down"
            r.step = step
            r.status = event == .stepEnd || event == .runEnd ? "ok" : nil
            try log.append(r)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    func verify(_ lines: [String], key: String? = nil, trailingNewline: Bool = true) -> AuditVerifier.Report {
        AuditVerifier(key: key).verify(Array((lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")).utf8))
    }

    @Test func goodLogVerifies() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let lines = try writeLog(dir.file("a/audit.jsonl"))
        let report = verify(lines)
        #expect(report.isValid)
        #expect(report.records == 6)
        #expect(report.runs == 1)
        #expect(report.warnings.isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.file("a/audit.jsonl"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func editedRecordIsNamed() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var lines = try writeLog(dir.file("audit.jsonl"))
        lines[2] = lines[2].replacingOccurrences(of: "\"status\":\"ok\"", with: "\"status\":\"failed\"")
        let report = verify(lines)
        #expect(report.failure?.line == 3)
        #expect(report.failure?.message.contains("edited") == true)
    }

    @Test func deletedMiddleRecordIsNamed() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var lines = try writeLog(dir.file("audit.jsonl"))
        lines.remove(at: 2)
        let report = verify(lines)
        #expect(report.failure?.line == 3)
        #expect(report.failure?.message.contains("deleted, moved, inserted or edited") == true)
    }

    @Test func swappedRecordsAreNamed() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var lines = try writeLog(dir.file("audit.jsonl"))
        lines.swapAt(3, 4)
        #expect(verify(lines).failure?.line == 4)
    }

    @Test func recomputedChainFailsWithHMAC() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let key = "fixture-audit-key-not-a-secret"
        var lines = try writeLog(dir.file("audit.jsonl"), key: key)
        #expect(verify(lines, key: key).isValid)
        // The attacker edits line 3 and recomputes every hash after it, without the key.
        lines[2] = lines[2].replacingOccurrences(of: "\"status\":\"ok\"", with: "\"status\":\"failed\"")
        var prev = ""
        for i in 0..<lines.count {
            guard let parts = AuditChain.split(line: Array(lines[i].utf8)) else { continue }
            var body = String(decoding: parts.body, as: UTF8.self)
            if i >= 2 { body = body.replacingOccurrences(of: "\"prev\":\"\(Self.prevValue(body))\"", with: "\"prev\":\"\(prev)\"") }
            let hash = i >= 2 ? sha256Hex(Data(body.utf8)) : parts.hash
            lines[i] = String(body.dropLast()) + ",\"hash\":\"\(hash)\"}"
            prev = hash
        }
        #expect(verify(lines).failure != nil, "without the key the HMAC log cannot be checked")
        let report = verify(lines, key: key)
        #expect(report.failure?.line == 3)
        #expect(report.failure?.message.contains("HMAC") == true)
        #expect(verify(lines, key: "another-key").failure?.line == 1)
    }

    static func prevValue(_ body: String) -> String {
        guard let r = body.range(of: "\"prev\":\"") else { return "" }
        return String(body[r.upperBound...].prefix(64))
    }

    @Test func tornLastLineIsAnInterruption() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("audit.jsonl")
        var lines = try writeLog(path, finished: false)
        lines.append("{\"event\":\"step-end\",\"run\":\"run-1\",\"sta")
        let report = verify(lines, trailingNewline: false)
        #expect(report.isValid)
        #expect(report.warnings.contains { $0.contains("torn") })
        #expect(report.warnings.contains { $0.contains("run-1") && $0.contains("interrupted") })

        // The next writer cuts the torn line, notes the cut in its record and chains on.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"event\":\"step-end\",\"run\":\"run-1\",\"sta".utf8))
        try handle.close()
        let log = try AuditLog(path: path, key: nil)
        try log.append(AuditRecord(time: "2026-11-27T05:01:00.000Z", event: .runEnd, run: "run-1"))
        let after = try AuditVerifier(key: nil).verify(path: path)
        #expect(after.isValid)
        #expect(after.records == 6)
        #expect(after.warnings.contains { $0.contains("cut a torn line") && $0.contains("38 bytes") })
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("\"sta\n"), "the torn bytes are gone from the file")
        #expect(text.split(separator: "\n").count == 6)
    }

    @Test func emptyLogIsValid() {
        let report = AuditVerifier(key: nil).verify([])
        #expect(report.isValid)
        #expect(report.records == 0)
    }

    @Test func runWithoutEndIsReportedInterrupted() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let report = verify(try writeLog(dir.file("audit.jsonl"), finished: false))
        #expect(report.isValid)
        #expect(report.warnings == ["run run-1 (docs/operations/incident-response.md#api-down env staging, started 2026-11-27T05:00:00.000Z, line 1) has no run-end record: interrupted after step-end redeploy"])
    }

    @Test func concurrentWritersKeepOneChain() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("audit.jsonl")
        // Two runs of different services share the log, each through its own descriptor.
        let writers = try [AuditLog(path: path, key: nil), AuditLog(path: path, key: nil)]
        await withTaskGroup(of: Void.self) { group in
            for (n, log) in writers.enumerated() {
                group.addTask {
                    for i in 0..<100 {
                        _ = try? log.append(AuditRecord(time: "2026-11-27T05:00:00.000Z", event: .stepEnd, run: "run-\(n)-\(i)"))
                    }
                }
            }
        }
        let report = try AuditVerifier(key: nil).verify(path: path)
        #expect(report.isValid)
        #expect(report.records == 200)
    }

    @Test func appendKeepsTheChainAcrossWriters() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("audit.jsonl")
        _ = try writeLog(path)
        _ = try writeLog(path)
        let report = try AuditVerifier(key: nil).verify(path: path)
        #expect(report.isValid)
        #expect(report.records == 12)
    }
}
