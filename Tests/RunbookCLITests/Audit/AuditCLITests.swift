import Foundation
import OpsActions
import RunbookExec
import Testing
import TestSupport
@testable import AuditTrail

/// `runbook exec` mirroring to CloudWatch Logs, `runbook audit verify --cloudwatch` and
/// `runbook audit timeline`, run as a user would: the real binary, real moto, real shell steps.
@Suite("runbook audit: CloudWatch copy and timeline (CLI)")
struct AuditCLITests {
    static let doc = """
        ---
        title: Audit drill
        owner: ops
        reviewed: 2026-11-27
        review_every: 90d
        ---

        # Audit drill

        ### Outage {#outage}

        ```bash {id=first kind=diagnose}
        echo "first step"
        ```

        ```bash {id=wait kind=act confirm=false timeout=10m}
        touch "${FLAG_DIR}/waiting"
        while [ ! -f "${FLAG_DIR}/go" ]; do sleep 0.1; done
        echo "cloudwatch is gone now"
        ```

        ```bash {id=last kind=act}
        echo "last step"
        ```

        ### Mixed results {#mixed}

        ```bash {id=look kind=diagnose}
        echo "looking | around"
        ```

        ```bash {id=check kind=verify}
        echo "checking"
        exit 3
        ```

        ```bash {id=recover kind=act if=failed:check}
        echo "recovering"
        ```

        ```bash {id=never kind=act if=ok:check}
        echo "never runs"
        ```
        """

    /// An endpoint nothing listens on, ever: port 1. (A port that was free a moment ago can be
    /// taken by the moto server of a test running alongside, which then gets this test's records.)
    static let closedEndpoint = "http://127.0.0.1:1"

    static func stream(of project: AuditProject) -> String {
        let op = project.localEntries().first?.record.operator
        return CloudWatchAuditMirror.streamName(user: op?.user ?? "?", host: op?.host ?? "?")
    }

    @Test func anOutageMidRunKeepsTheLocalLogAndVerifyNamesWhatIsMissingRemotely() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try moto.createLogGroup(AuditProject.group)
        let relay = try TCPRelay(to: moto.port)
        defer { relay.stop() }
        let project = try AuditProject(doc: Self.doc)
        let viaRelay = project.environment(endpoint: relay.endpoint)
        let direct = project.environment(endpoint: moto.endpoint.absoluteString)

        let running = try project.start(["exec", "drill#outage", "--env", "test", "--yes", "--set", "FLAG_DIR=\(project.root)"], env: viaRelay)
        #expect(await WaitFor.file(project.file("waiting"), timeout: 60) { $0 != nil })
        // run-start, first's start and end, wait's start: all sent before CloudWatch goes away.
        let stream = Self.stream(of: project)
        #expect(await WaitFor.state(timeout: 60) { try moto.messages(group: AuditProject.group, stream: stream).count == 4 })
        relay.stop()
        #expect(FileManager.default.createFile(atPath: project.file("go"), contents: nil))
        let run = try await AuditProject.finish(running)

        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stderr.contains("runbook: warning: audit: 4 records were NOT copied to CloudWatch Logs group /runbook/audit stream \(stream)"))
        #expect(run.stderr.contains("They are safe in \(project.logPath)"))
        let local = project.localEntries()
        #expect(local.map(\.record.event) == [.runStart, .stepStart, .stepEnd, .stepStart, .stepEnd, .stepStart, .stepEnd, .runEnd])
        let localVerify = try await project.run(["audit", "verify"], env: direct)
        #expect(localVerify.code == 0)
        #expect(localVerify.stdout.contains("OK, 8 records in 1 runs"))

        let verify = try await project.run(["audit", "verify", "--cloudwatch", AuditProject.group, "--env", "test"], env: direct)
        #expect(verify.code == 1)
        #expect(verify.stderr.contains("4 records are in the local log \(project.logPath) but missing from cloudwatch /runbook/audit stream \(stream):"))
        let missing = verify.stderr.split(separator: "\n").filter { $0.contains("missing remotely: ") }
        #expect(missing.count == 4)
        #expect(missing.first?.contains("line 5 (\(local[4].record.time), run \(local[4].record.run), step-end wait)") == true)
        #expect(missing.last?.contains("line 8 (") == true && missing.last?.contains("run-end") == true)

        // The next run (CloudWatch back) sends what is queued first, and says so.
        let next = try await project.run(["exec", "drill#outage", "--env", "test", "--yes", "--only", "first", "--set", "FLAG_DIR=\(project.root)"], env: direct)
        #expect(next.code == 0)
        #expect(next.stderr.contains("runbook: audit: sending 4 records that earlier runs could not send to CloudWatch Logs group /runbook/audit stream \(stream) (from line 5 of \(project.logPath))"))
        #expect(!next.stderr.contains("warning"))
        #expect(try moto.messages(group: AuditProject.group, stream: stream) == project.localEntries().map(\.text))
        let clean = try await project.run(["audit", "verify", "--cloudwatch", AuditProject.group, "--env", "test"], env: direct)
        #expect(clean.code == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("OK, 12 records in 2 runs"))
        #expect(clean.stdout.contains("matches the local log"))
    }

    /// Copies the stream into `tampered`, with `edit` applied to the message of record `index`.
    static func tamperedCopy(_ moto: MotoServer, stream: String, index: Int, edit: (String) -> String) throws {
        var messages = try moto.messages(group: AuditProject.group, stream: stream)
        messages[index] = edit(messages[index])
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try moto.logs("CreateLogStream", ["logGroupName": AuditProject.group, "logStreamName": "tampered"])
        try moto.logs("PutLogEvents", ["logGroupName": AuditProject.group, "logStreamName": "tampered",
                                       "logEvents": messages.enumerated().map { ["timestamp": now + Int64($0.offset), "message": $0.element] }])
    }

    @Test func anEditedRemoteRecordIsCaught() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try moto.createLogGroup(AuditProject.group)
        let project = try AuditProject(doc: Self.doc)
        let env = project.environment(endpoint: moto.endpoint.absoluteString)
        let run = try await project.run(["exec", "drill#mixed", "--env", "test", "--yes"], env: env)
        #expect(run.code == 1)
        let stream = Self.stream(of: project)
        #expect(try await project.run(["audit", "verify", "--cloudwatch", AuditProject.group, "--env", "test"], env: env).code == 0)

        // Someone with write access to the group rewrites the failed check as a success.
        let index = try #require(project.localEntries().firstIndex { $0.record.event == .stepEnd && $0.record.step == "check" })
        try Self.tamperedCopy(moto, stream: stream, index: index) { $0.replacingOccurrences(of: #""status":"failed""#, with: #""status":"ok""#) }
        let verify = try await project.run(["audit", "verify", "--cloudwatch", AuditProject.group, "--stream", "tampered", "--env", "test"], env: env)
        #expect(verify.code == 1)
        let position = index + 1
        #expect(verify.stderr.contains("remote record #\(position) (") && verify.stderr.contains("step-end check): the record was edited (its hash does not match its content)"))
        #expect(verify.stderr.contains("differs from the local log's line \(position) ("))
        #expect(verify.stderr.contains("edited remotely"))
    }

    @Test func withAnAuditKeyARecomputedRemoteHashIsCaught() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        try moto.createLogGroup(AuditProject.group)
        let project = try AuditProject(doc: Self.doc)
        let env = project.environment(endpoint: moto.endpoint.absoluteString, extra: ["RUNBOOK_AUDIT_KEY": "test-only-audit-key"])
        #expect(try await project.run(["exec", "drill#mixed", "--env", "test", "--yes"], env: env).code == 1)
        let stream = Self.stream(of: project)
        let clean = try await project.run(["audit", "verify", "--cloudwatch", AuditProject.group, "--env", "test"], env: env)
        #expect(clean.code == 0, "\(clean.stderr)")

        // Edit the run-end and recompute its hash with plain SHA-256: without the key it cannot be re-signed.
        let last = project.localEntries().count - 1
        try Self.tamperedCopy(moto, stream: stream, index: last) { line in
            let edited = line.replacingOccurrences(of: #""status":"failed""#, with: #""status":"ok""#)
            let body = String(edited.dropLast(#","hash":""#.count + 64 + 2)) + "}"
            return String(body.dropLast()) + #","hash":""# + sha256Hex(Data(body.utf8)) + #""}"#
        }
        let verify = try await project.run(["audit", "verify", "--cloudwatch", AuditProject.group, "--stream", "tampered", "--env", "test"], env: env)
        #expect(verify.code == 1)
        #expect(verify.stderr.contains("remote record #\(last + 1) (") && verify.stderr.contains("run-end): the record's HMAC does not match"))
        #expect(verify.stderr.contains("1 record is in cloudwatch /runbook/audit stream tampered but not in the local log"))
    }

    @Test func timelineOfARealRunAsMarkdownAndJSON() async throws {
        let project = try AuditProject(doc: Self.doc)
        // No CloudWatch here: a closed port. The mirror warns; the timeline reads the local log.
        let env = project.environment(endpoint: Self.closedEndpoint)
        let run = try await project.run(["exec", "drill#mixed", "--env", "test", "--yes"], env: env)
        #expect(run.code == 1)
        #expect(run.stderr.contains("records were NOT copied"))
        let records = project.localEntries().map(\.record)
        let runID = try #require(records.first?.run)
        let op = try #require(records.first?.operator)
        let who = "\(op.user)@\(op.host)"

        let md = try await project.run(["audit", "timeline", "--run", String(runID.prefix(runID.count - 2))], env: env)
        #expect(md.code == 0, "\(md.stderr)")
        let lines = md.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "### Timeline of run \(runID): docs/drill.md#mixed on test (failed)")
        #expect(lines.contains("| Time (UTC) | Operator | Step | Action | Result | State before | State after | Duration |"))
        let rows = lines.filter { $0.hasPrefix("| 2") }
        #expect(rows.count == 6)
        func cells(_ row: String) -> [String] {
            row.dropFirst(2).dropLast(2).components(separatedBy: " | ")
        }
        let table = rows.map(cells)
        #expect(table.allSatisfy { $0.count == 8 && $0[1] == who })
        #expect(table.map { $0[2] } == ["", "`look` (diagnose)", "`check` (verify)", "`recover` (act)", "`never` (act)", ""])
        #expect(table[0][3] == "run start: docs/drill.md#mixed on env test, 4 steps")
        #expect(table[1][3] == #"`echo "looking \| around"`"#)
        #expect(table[1][4] == "ok")
        #expect(table[2][3] == #"`echo "checking"`<br>`exit 3`"#)
        #expect(table[2][4] == "failed (exit 3): bash exited with status 3 (commands from line 33)")
        #expect(table[3][4] == "ok")
        #expect(table[4][3] == "(not run)" && table[4][4] == "skipped: if=ok:check does not hold (check: failed)")
        #expect(table[5][3] == "run end: 1 failed, 2 ok, 1 skipped" && table[5][4] == "failed (exit 1)")
        // The chain head is the one the run printed (the hash of its end record), as Slack repeats it.
        let endHash = try #require(project.localEntries().last { $0.record.event == .runEnd }?.hash)
        #expect(run.stdout.contains("chain head \(endHash)") || run.stderr.contains("chain head \(endHash)"))
        #expect(lines.contains("- Audit chain head: `\(endHash)`"))
        let start = try #require(records.first { $0.event == .stepStart && $0.step == "check" })
        #expect(table[2][0] == start.time.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: ""))

        let json = try await project.run(["audit", "timeline", "--run", runID, "--format", "json"], env: env)
        #expect(json.code == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["run"] as? String == runID)
        #expect(object["status"] as? String == "failed")
        #expect(object["operator"] as? String == who)
        let jsonRows = try #require(object["rows"] as? [[String: Any]])
        #expect(jsonRows.map { $0["result"] as? String } == ["started", "ok", "failed", "ok", "skipped", "failed"])
        #expect(jsonRows[2]["exit"] as? Int == 3)
        #expect(jsonRows[2]["action"] as? String == "echo \"checking\"\nexit 3")
        #expect(jsonRows[2]["duration_ms"] is Int)
    }

    @Test func anUnknownRunIDListsTheLatestRuns() async throws {
        let project = try AuditProject(doc: Self.doc)
        let env = project.environment(endpoint: Self.closedEndpoint)
        #expect(try await project.run(["exec", "drill#mixed", "--env", "test", "--yes", "--only", "look"], env: env).code == 0)
        #expect(try await project.run(["exec", "drill#outage", "--env", "test", "--yes", "--only", "first", "--set", "FLAG_DIR=\(project.root)"], env: env).code == 0)
        let runs = project.localEntries().filter { $0.record.event == .runStart }.map(\.record.run)
        #expect(runs.count == 2)
        let out = try await project.run(["audit", "timeline", "--run", "20990101T000000Z-000000"], env: env)
        #expect(out.code == 2)
        let lines = out.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "runbook: no run '20990101T000000Z-000000' in the audit log \(project.logPath); the latest runs:")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("runbook:   \(runs[1])  docs/drill.md#outage  env test  ok  ("))
        #expect(lines[2].hasPrefix("runbook:   \(runs[0])  docs/drill.md#mixed  env test  ok  ("))
    }
}
