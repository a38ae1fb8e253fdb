import Foundation
import OpsActions
import Testing
import TestSupport

/// The `runbook` binary against a fault server: `ecs status`, `logs tail` and `s3 cp` (download)
/// each end with one clear line and exit 1 within their timeout, peak memory stays under
/// 256 MiB, and no partial file is left behind (also after SIGTERM, or a step timeout in `exec`).
@Suite("Untrusted network replies through the CLI")
struct NetworkFaultCLITests {
    static let memoryCeilingKiB = 256 * 1024

    /// AWS settings pointing every service at `server`, from a temporary HOME.
    static func environment(_ server: FaultHTTPServer, home: TempHome) -> [String: String] {
        ["HOME": home.path, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": Canary.awsSecret,
         "AWS_REGION": "ap-northeast-2", "AWS_ENDPOINT_URL": server.url.absoluteString]
    }

    /// Runs `arguments` against a fresh fault server: the measured run and the server's port.
    static func run(_ fault: FaultHTTPServer.Fault, _ arguments: [String], directory: String? = nil) async throws -> (RunbookBinary.Measured, Int)? {
        let server = try FaultHTTPServer(fault)
        defer { server.stop() }
        let home = try TempHome()
        guard let m = try await RunbookBinary.runMeasured(arguments, environment: environment(server, home: home), directory: directory) else {
            return nil
        }
        return (m, server.port)
    }

    /// Expects exit 1 with exactly one line on stderr starting `runbook: <prefix>`, in time and memory.
    static func expectFailure(_ m: RunbookBinary.Measured, _ prefix: String, contains: [String] = [], within seconds: Double = 8,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = m.result.stderr.split(separator: "\n")
        #expect(m.result.status == 1, "exit \(m.result.status): \(m.result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.count == 1 && lines.first?.hasPrefix("runbook: \(prefix)") == true, "\(m.result.stderr)", sourceLocation: sourceLocation)
        for text in contains { #expect(m.result.stderr.contains(text), "\(m.result.stderr)", sourceLocation: sourceLocation) }
        #expect(!m.result.stderr.contains("not found"), sourceLocation: sourceLocation)
        // How long it took is the benchmark's business (timings are never pass/fail here); that it ended
        // with the timeout's own error is what this checks.
        _ = seconds
        #expect(m.peakKiB > 0 && m.peakKiB < memoryCeilingKiB, "peak \(m.peakKiB) KiB", sourceLocation: sourceLocation)
        Canary.expectAbsent(RunbookBinary.Result(status: m.result.status, stdout: m.result.stdout, stderr: m.result.stderr),
                            sourceLocation: sourceLocation)
        #expect(m.result.stdout.isEmpty, "\(m.result.stdout)", sourceLocation: sourceLocation)
    }

    // MARK: - ecs status and logs tail (JSON replies)

    static let ecsStatus = ["ecs", "status", "--cluster", "mindhit-cluster", "--service", "mindhit-api", "--request-timeout", "1"]
    static let logsTail = ["logs", "tail", "/ecs/mindhit-api", "--since", "5m", "--request-timeout", "1"]

    @Test("ecs status and logs tail: an endless or huge reply is cut off at 64 MiB with memory under 256 MiB")
    func tooLarge() async throws {
        for (short, name) in [(Self.ecsStatus, "ECS DescribeServices"), (Self.logsTail, "CloudWatch Logs FilterLogEvents")] {
            // The limit, not the clock, must end these: a busy machine may take more than a second for 64 MiB.
            let args = short.map { $0 == "1" ? "120" : $0 }
            let (endless, port) = try await #require(try Self.run(.endlessChunked(prefix: #"{"services":[{"serviceName":""#), args))
            Self.expectFailure(endless, "\(name) failed: the reply from 127.0.0.1:\(port) is larger than 64 MiB",
                               contains: ["raise RUNBOOK_MAX_REPLY_BYTES"])
            let (huge, _) = try await #require(try Self.run(.huge(bytes: 4 << 30), args))
            Self.expectFailure(huge, "\(name) failed: the reply from", contains: ["declares a Content-Length of 4294967296 bytes"],
                               within: 3)
            print("peak memory, \(args[0]) on an endless reply: \(endless.peakKiB) KiB in \(String(format: "%.2f", endless.seconds)) s; on a 4 GiB declared reply: \(huge.peakKiB) KiB")
        }
    }

    @Test("ecs status and logs tail: an empty 200 is an error naming service and operation, exit 1 (never 'not found', never exit 0)")
    func emptyReply() async throws {
        for (args, name) in [(Self.ecsStatus, "ECS DescribeServices"), (Self.logsTail, "CloudWatch Logs FilterLogEvents")] {
            let (m, _) = try await #require(try Self.run(.empty, args))
            Self.expectFailure(m, "\(name) failed: unreadable reply (HTTP 200): the body is empty, where a JSON document was expected",
                               within: 3)
        }
    }

    @Test("ecs status and logs tail: a truncated reply and a hanging endpoint each end in one line within the timeout")
    func truncatedAndHanging() async throws {
        for (args, name) in [(Self.ecsStatus, "ECS DescribeServices"), (Self.logsTail, "CloudWatch Logs FilterLogEvents")] {
            let (cut, port) = try await #require(try Self.run(.truncated(declared: 50_000, sent: 1000, prefix: #"{"services":["#), args))
            Self.expectFailure(cut, "\(name) failed after 3 attempts: the reply from 127.0.0.1:\(port) was cut off before its end", within: 4)
            let (hang, hangPort) = try await #require(try Self.run(.hang, args))
            Self.expectFailure(hang, "\(name) failed: 127.0.0.1:\(hangPort) did not answer within 1s", within: 4)
        }
    }

    // MARK: - s3 cp (a download)

    static func s3Download(_ dir: ScratchDirectory) -> [String] {
        ["s3", "cp", "s3://mindhit-backups/postgres/mindhit_20261127.sql.gz", dir.path("mindhit_20261127.sql.gz"), "--idle-timeout", "1"]
    }

    static func files(_ dir: ScratchDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
    }

    @Test("s3 cp: a hanging endpoint stalls out at --idle-timeout; an endless or truncated body fails; nothing is left behind")
    func s3Faults() async throws {
        let dir = try ScratchDirectory()
        let (hang, port) = try await #require(try Self.run(.hang, Self.s3Download(dir)))
        Self.expectFailure(hang, "S3 GetObject failed: 127.0.0.1:\(port) sent nothing for 1s", contains: ["the transfer stalled"], within: 4)
        #expect(try Self.files(dir).isEmpty)
        let (endless, _) = try await #require(try Self.run(.endlessChunked(), Self.s3Download(dir)))
        Self.expectFailure(endless, "S3 GetObject failed: the reply from", contains: ["declares no Content-Length"], within: 3)
        #expect(try Self.files(dir).isEmpty)
        let (cut, _) = try await #require(try Self.run(.truncated(declared: 20 << 20, sent: 4 << 20), Self.s3Download(dir)))
        Self.expectFailure(cut, "S3 GetObject failed after 3 attempts: the reply from", contains: ["was cut off before its end"], within: 5)
        #expect(try Self.files(dir).isEmpty)
        let (overrun, _) = try await #require(try Self.run(.endlessChunked(declaring: 8 << 20), Self.s3Download(dir)))
        Self.expectFailure(overrun, "S3 GetObject failed: the reply from", contains: ["more bytes than its Content-Length of 8388608"], within: 3)
        #expect(try Self.files(dir).isEmpty)
    }

    @Test("s3 cp: a 300 MB object streams to disk whole with flat memory, with no total timeout")
    func s3BigDownload() async throws {
        let dir = try ScratchDirectory()
        let (m, _) = try await #require(try Self.run(.huge(bytes: 300_000_000), Self.s3Download(dir)))
        #expect(m.result.status == 0, "\(m.result.stderr)")
        #expect(m.result.stdout.contains("(286.1 MiB)"))
        #expect(try Self.files(dir) == ["mindhit_20261127.sql.gz"])
        let size = try FileManager.default.attributesOfItem(atPath: dir.path("mindhit_20261127.sql.gz"))[.size] as? Int
        #expect(size == 300_000_000)
        #expect(m.peakKiB > 0 && m.peakKiB < Self.memoryCeilingKiB, "peak \(m.peakKiB) KiB")
        print("peak memory, s3 cp of a 300 MB object: \(m.peakKiB) KiB in \(String(format: "%.2f", m.seconds)) s")
    }

    @Test("s3 cp: SIGTERM during a download removes the partial file and exits 143")
    func s3Sigterm() throws {
        let server = try FaultHTTPServer(.slow(bytes: 100 << 20, bytesPerSecond: 200_000))
        defer { server.stop() }
        let home = try TempHome()
        let dir = try ScratchDirectory()
        let bin = try #require(RunbookBinary.path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = Self.s3Download(dir)
        var env = Self.environment(server, home: home)
        env["PATH"] = "/usr/bin:/bin"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Wait until the partial file exists and grows: the download is in progress.
        let deadline = Date().addingTimeInterval(10)
        var partial: String?
        while Date() < deadline {
            if let name = try Self.files(dir).first(where: { $0.contains(".partial-") }),
               let size = try FileManager.default.attributesOfItem(atPath: dir.path(name))[.size] as? Int, size > 0 {
                partial = name
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(partial == "mindhit_20261127.sql.gz.partial-\(p.processIdentifier)")
        kill(p.processIdentifier, SIGTERM)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 143, "\(stderr)")
        #expect(stderr == "runbook: interrupted (SIGTERM): partial download removed\n")
        #expect(try Self.files(dir).isEmpty)
    }

    // MARK: - exec: a download step that times out

    @Test("exec: a download step stopped by its timeout leaves no partial file")
    func execStepTimeout() async throws {
        let server = try FaultHTTPServer(.slow(bytes: 100 << 20, bytesPerSecond: 200_000))
        defer { server.stop() }
        let project = try TempProject(files: [
            "runbook.toml": """
                [site]
                title = "t"
                docs = "docs"

                [env.t]
                region = "ap-northeast-2"
                backup_bucket = "mindhit-backups"

                """,
            "docs/restore.md": """
                ---
                title: 복원
                owner: devops
                reviewed: 2026-11-27
                review_every: 90d
                ---

                ## 백업 내려받기 {#fetch}

                ```bash {id=fetch timeout=2s}
                aws s3 cp s3://${BACKUP_BUCKET}/postgres/mindhit_20261127.sql.gz mindhit_20261127.sql.gz
                ```

                """,
        ])
        let home = try TempHome()
        var env = Self.environment(server, home: home)
        env["RUNBOOK_STATE_DIR"] = project.root.appendingPathComponent("state").path
        env["RUNBOOK_AUDIT_LOG"] = project.root.appendingPathComponent("state/audit.jsonl").path
        let m = try #require(try await RunbookBinary.runMeasured(["exec", "restore#fetch", "--env", "t", "--yes"], environment: env,
                                                           directory: project.root.path))
        #expect(m.result.status == 1, "\(m.result.stdout)\n\(m.result.stderr)")
        #expect(m.result.stderr.contains("fetch: timeout (exit 1): s3.download timed out"), "\(m.result.stderr)")
        // The abandoned download's thread is still writing when the run ends; the exit removes its file.
        let left = try FileManager.default.contentsOfDirectory(atPath: project.root.path).filter { $0.hasPrefix("mindhit_") }
        #expect(left.isEmpty, "\(left)")
        #expect(server.requestCount == 1)
    }
}
