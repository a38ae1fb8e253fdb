import AuditTrail
import Foundation
import Testing
import TestSupport

@Suite("Reading a whole audit log: bounded, and every failure names the log and the reason")
struct AuditLogReadingTests {
    func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            Issue.record("read instead of failing")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("verify and show say why a log cannot be read, in the system's words")
    func unreadable() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let missing = dir.file("audit.jsonl")
        #expect(failure { _ = try AuditVerifier(key: nil).verify(path: missing) }
            == "cannot read the audit log \(missing): No such file or directory; check the path")
        #expect(failure { _ = try AuditHistory.load(path: dir.path) }
            == "cannot read the audit log \(dir.path): Is a directory; give the path of a file, not a folder")
    }

    @Test("a log over the read limit stops there, saying what to do")
    func tooLarge() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("audit.jsonl")
        try #require(FileManager.default.createFile(atPath: path, contents: nil))
        try #require(truncate(path, off_t(AuditLog.readLimit) + 1) == 0)
        #expect(failure { _ = try AuditVerifier(key: nil).verify(path: path) }
            == "cannot read the audit log \(path): larger than 256 MiB, the most read from it; move it aside and keep it (the next run starts a new log)")
    }

    @Test("a log given as a pipe (RUNBOOK_AUDIT_LOG=<(...)) verifies")
    func pipe() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let real = dir.file("audit.jsonl")
        let log = try AuditLog(path: real, key: nil)
        try log.append(AuditRecord(time: "2026-11-27T05:00:00.000Z", event: .runStart, run: "r1"))
        let writer = try FIFOWriter(path: dir.file("copy.jsonl"), text: String(decoding: try Data(contentsOf: URL(fileURLWithPath: real)), as: UTF8.self))
        defer { writer.stop() }
        let report = try AuditVerifier(key: nil).verify(path: writer.path)
        #expect(report.isValid && report.records == 1)
    }
}
