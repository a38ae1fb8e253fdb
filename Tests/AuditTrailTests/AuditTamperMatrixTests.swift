import Foundation
import Testing
import TestSupport
@testable import AuditTrail

/// Every way of tampering with a log that the issue lists, on a keyed and an unkeyed log, each
/// with the verdict `runbook audit verify` must give (with and without the chain head seen
/// outside the file).
@Suite("Audit log: the tamper matrix")
struct AuditTamperMatrixTests {
    static let key = "fixture-audit-key-not-a-secret"

    /// A log of two complete runs (12 records), as its lines and its final chain head.
    struct Log {
        var lines: [String]
        var head: String
        var key: String?

        var bytes: [UInt8] { lines.isEmpty ? [] : Array((lines.joined(separator: "\n") + "\n").utf8) }

        func verify(key: String?? = nil, expectHead: String? = nil) -> AuditVerifier.Report {
            AuditVerifier(key: key ?? self.key, expectedHead: expectHead).verify(bytes)
        }
    }

    static func makeLog(key: String?) throws -> Log {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("audit.jsonl")
        let log = try AuditLog(path: path, key: key)
        for run in ["run-1", "run-2"] {
            for (event, step) in [(AuditRecord.Event.runStart, nil), (.stepStart, "health"), (.stepEnd, "health"),
                                  (.stepStart, "redeploy"), (.stepEnd, "redeploy"), (.runEnd, nil)] as [(AuditRecord.Event, String?)] {
                var r = AuditRecord(time: "2026-11-27T05:00:00.000Z", event: event, run: run)
                r.step = step
                r.status = event == .stepEnd || event == .runEnd ? "ok" : nil
                try log.append(r)
            }
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        return Log(lines: lines, head: log.head, key: key)
    }

    /// Recomputes every hash from line `from` (0-based) on, as an attacker holding `key` (nil: plain
    /// SHA-256) would, rewriting each record's mode to match.
    static func rechain(_ lines: [String], from: Int, key: String?) -> [String] {
        let chain = AuditChain(key: key)
        var out = lines
        var prev = from == 0 ? AuditChain.genesis : (AuditChain.split(line: Array(lines[from - 1].utf8))?.hash ?? "")
        for i in from..<out.count {
            guard let parts = AuditChain.split(line: Array(out[i].utf8)),
                  var object = (try? JSONSerialization.jsonObject(with: Data(parts.body))) as? [String: Any] else { continue }
            object["prev"] = prev
            object["mode"] = chain.mode
            guard let body = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { continue }
            let hash = chain.hash(body)
            out[i] = String(decoding: body.dropLast(), as: UTF8.self) + ",\"hash\":\"\(hash)\"}"
            prev = hash
        }
        return out
    }

    static func edited(_ line: String) -> String {
        line.replacingOccurrences(of: "\"status\":\"ok\"", with: "\"status\":\"failed\"")
    }

    @Test("an intact log verifies, with and without its head", arguments: [nil, key])
    func intact(key: String?) throws {
        let log = try Self.makeLog(key: key)
        #expect(log.verify().isValid)
        #expect(log.verify().records == 12)
        #expect(log.verify(expectHead: log.head).isValid)
        #expect(log.verify(expectHead: "sha256:" + log.head).isValid)
        // The head of an earlier run is still in the log: later runs appended after it are fine.
        let firstRunHead = try #require(AuditChain.split(line: Array(log.lines[5].utf8))?.hash)
        #expect(log.verify(expectHead: firstRunHead).isValid)
    }

    @Test("edit, delete, swap, duplicate, junk and a forged record are named by line", arguments: [nil, key])
    func inPlaceTampering(key: String?) throws {
        let log = try Self.makeLog(key: key)
        var cases: [(String, [String], Int)] = []
        var l = log.lines
        l[2] = Self.edited(l[2])
        cases.append(("edit", l, 3))
        l = log.lines
        l.remove(at: 2)
        cases.append(("delete", l, 3))
        l = log.lines
        l.swapAt(3, 4)
        cases.append(("swap", l, 4))
        l = log.lines
        l.insert(l[2], at: 3)
        cases.append(("duplicate", l, 4))
        l = log.lines
        l.insert("hello, not a record", at: 3)
        cases.append(("junk", l, 4))
        l = log.lines
        l.insert(#"{"event":"step-end","run":"run-1","status":"ok""#, at: 3)
        cases.append(("torn-looking junk mid-file", l, 4))
        // A complete-looking record with a valid hash of its own, chained to line 3 without the key.
        var head4 = Array(log.lines[0...3])
        head4[3] = Self.edited(head4[3])
        l = log.lines
        l.insert(Self.rechain(head4, from: 3, key: nil)[3], at: 3)
        cases.append(("forged record", l, key == nil ? 5 : 4))
        for (name, lines, line) in cases {
            let report = Log(lines: lines, head: log.head, key: key).verify()
            #expect(report.failure?.line == line, "\(name): \(String(describing: report.failure))")
        }
    }

    @Test("a chain recomputed without the key: caught with the key, or by the head seen outside")
    func rechainedWithoutKey() throws {
        let keyed = try Self.makeLog(key: Self.key)
        var lines = keyed.lines
        lines[2] = Self.edited(lines[2])
        let forged = Log(lines: Self.rechain(lines, from: 0, key: nil), head: keyed.head, key: Self.key)
        #expect(forged.verify().failure?.line == 1, "with the key every unkeyed record is refused")
        #expect(forged.verify(key: .some(nil)).isValid, "without the key a full re-chain cannot be told from an unkeyed log")
        #expect(forged.verify(key: .some(nil), expectHead: keyed.head).failure != nil, "the head from outside catches it")

        let plain = try Self.makeLog(key: nil)
        var plainLines = plain.lines
        plainLines[2] = Self.edited(plainLines[2])
        let rechained = Log(lines: Self.rechain(plainLines, from: 2, key: nil), head: plain.head, key: nil)
        #expect(rechained.verify().isValid)
        let report = rechained.verify(expectHead: plain.head)
        #expect(report.failure?.message.contains("does not hold the expected chain head") == true)
    }

    @Test("a chain recomputed with a guessed key fails at the first changed record")
    func rechainedWithGuessedKey() throws {
        let keyed = try Self.makeLog(key: Self.key)
        var lines = keyed.lines
        lines[2] = Self.edited(lines[2])
        let forged = Log(lines: Self.rechain(lines, from: 2, key: "guessed-key"), head: keyed.head, key: Self.key)
        #expect(forged.verify().failure?.line == 3)
        #expect(forged.verify().failure?.message.contains("HMAC") == true)
    }

    @Test("a log with HMAC records verified without the key is an error", arguments: [true, false])
    func keyedLogWithoutKey(_: Bool) throws {
        let keyed = try Self.makeLog(key: Self.key)
        let report = keyed.verify(key: .some(nil))
        #expect(report.failure?.line == 1)
        #expect(report.failure?.message.contains("RUNBOOK_AUDIT_KEY") == true)
    }

    @Test("cutting the last run, the last two runs, or everything: caught by the expected head", arguments: [nil, key])
    func truncations(key: String?) throws {
        let log = try Self.makeLog(key: key)
        for keep in [6, 0] {
            let cut = Log(lines: Array(log.lines.prefix(keep)), head: log.head, key: key)
            #expect(cut.verify().isValid, "a cut tail leaves an intact chain")
            let report = cut.verify(expectHead: log.head)
            #expect(report.failure != nil, "kept \(keep) records")
            #expect(report.failure?.message.contains(log.head) == true)
        }
        // A torn last line after a crash is an interruption, not tampering, even with the head.
        var torn = log.lines
        torn.append(#"{"event":"run-start","ru"#)
        let bytes = Array((torn.joined(separator: "\n")).utf8)
        let report = AuditVerifier(key: key, expectedHead: log.head).verify(bytes)
        #expect(report.isValid)
        #expect(report.warnings.contains { $0.contains("torn") })
    }

    @Test("one log, one mode: a writer with the other key setting is refused, naming the log's mode")
    func mixedModesAreRefused() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let keyedPath = dir.file("keyed.jsonl"), plainPath = dir.file("plain.jsonl")
        try AuditLog(path: keyedPath, key: Self.key).append(AuditRecord(time: "t", event: .runStart, run: "r"))
        try AuditLog(path: plainPath, key: nil).append(AuditRecord(time: "t", event: .runStart, run: "r"))
        #expect {
            try AuditLog(path: keyedPath, key: nil).append(AuditRecord(time: "t", event: .runEnd, run: "r"))
        } throws: { "\($0)".contains("is HMAC-signed but RUNBOOK_AUDIT_KEY is not set") }
        #expect {
            try AuditLog(path: plainPath, key: Self.key).append(AuditRecord(time: "t", event: .runEnd, run: "r"))
        } throws: { "\($0)".contains("is not keyed (sha256) but RUNBOOK_AUDIT_KEY is set") }
        #expect(try AuditVerifier(key: Self.key).verify(path: keyedPath).records == 1)
        #expect(try AuditVerifier(key: nil).verify(path: plainPath).records == 1)
    }
}
