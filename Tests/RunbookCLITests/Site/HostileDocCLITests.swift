import Foundation
import Testing
import TestSupport

/// Docs written to crash or stall runbook, through the binary: build, check, list, exec
/// --dry-run and serve each finish, never by a signal, and name the file and line when the doc
/// is at fault. A run of another, sound doc still plans.
@Suite("Hostile docs: through the CLI")
struct HostileDocCLITests {
    static let config = "[site]\ntitle = \"t\"\ndocs = \"docs\"\nout = \"site\"\n\n[env.test]\nregion = \"us-east-1\"\n"
    static let ops = "# Ops\n\n## Say {#say}\n\n```bash {id=say kind=diagnose}\necho hi\n```\n"
    /// Lines 1 to 8 of each hostile doc: a section `exec` can be asked to run. What breaks starts on line 9.
    static let runnable = "# Hostile\n\n## Run {#run}\n\n```bash {id=hi kind=diagnose}\necho hi\n```\n\n"

    /// A project with `docs/ops.md` and `docs`, in a fresh folder (also HOME and the cache folder).
    static func project(_ docs: [String: [UInt8]]) throws -> TempDir {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("docs"), withIntermediateDirectories: true)
        try Data(config.utf8).write(to: URL(fileURLWithPath: dir.file("runbook.toml")))
        try Data(ops.utf8).write(to: URL(fileURLWithPath: dir.file("docs/ops.md")))
        for (name, bytes) in docs { try Data(bytes).write(to: URL(fileURLWithPath: dir.file("docs/" + name))) }
        return dir
    }

    static func run(_ dir: TempDir, _ arguments: [String]) async throws -> ProcessRunner.Result {
        let env = ["HOME": dir.path, "XDG_CACHE_HOME": dir.file("cache"), "RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"),
                   "RUNBOOK_STATE_DIR": dir.file("state")]
        return try await ProcessRunner.run(RunbookExecutable.path, arguments + ["--config", dir.file("runbook.toml")],
                                     environment: env, inheritEnvironment: false)
    }

    /// `runbook serve --port 0`: its exit status and stderr, or nil when it was still serving after
    /// `seconds` (then it is stopped).
    static func serve(_ dir: TempDir, seconds: Double = 180) throws -> (status: Int32, stderr: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RunbookExecutable.path)
        process.arguments = ["serve", "--port", "0", "--config", dir.file("runbook.toml")]
        process.environment = ["HOME": dir.path, "PATH": "/usr/bin:/bin"]
        let errURL = URL(fileURLWithPath: dir.file("serve.err"))
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? errHandle.close()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
            return nil
        }
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return (process.terminationStatus, stderr)
    }

    static let deepDocs: [String: String] = [
        "lists": String(repeating: "- ", count: 10_000) + "x\n",
        "quotes": String(repeating: ">", count: 20_000) + " x\n",
        "emphasis": String(repeating: "*", count: 50_000) + "x" + String(repeating: "*", count: 50_000) + "\n",
        // A 42 KB table that cmark-gfm 0.29.0.gfm.6 would fill to 10 million cells.
        "table": "|" + String(repeating: "a|", count: 10_000) + "\n|" + String(repeating: "-|", count: 10_000) + "\n" + String(repeating: "x\n", count: 1_000),
    ]

    @Test("10,000 nested list items, 20,000 nested quotes, 50,000 emphasis markers, a table of 10 million cells: every command stops at docs/bad.md:9",
          arguments: ["lists", "quotes", "emphasis", "table"])
    func docAtFault(kind: String) async throws {
        let dir = try Self.project(["bad.md": Array((Self.runnable + (Self.deepDocs[kind] ?? "")).utf8)])
        defer { dir.cleanup() }
        let at = "docs/bad.md:9: error: "

        let build = try await Self.run(dir, ["build"])
        #expect(build.status == 1, "\(build.stderr)")
        #expect(build.stderr.contains(at), "\(build.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("site/bad.html")))

        let check = try await Self.run(dir, ["check", "--skip-site"])
        #expect(check.status == 1, "\(check.stderr)")
        #expect(check.stdout.contains(at), "\(check.stdout)")

        let list = try await Self.run(dir, ["list"])
        #expect(list.status == 1, "\(list.stderr)")
        #expect(list.stderr.contains(at), "\(list.stderr)")

        let exec = try await Self.run(dir, ["exec", "bad#run", "--env", "test", "--dry-run"])
        #expect(exec.status == 2, "\(exec.stderr)")
        #expect(exec.stderr.contains(at), "\(exec.stderr)")

        // Only the doc being run must be sound.
        let other = try await Self.run(dir, ["exec", "ops#say", "--env", "test", "--dry-run"])
        #expect(other.status == 0, "\(other.stderr)")

        let serve = try #require(try Self.serve(dir), "serve started on a doc set with an error")
        #expect(serve.status == 1)
        #expect(serve.stderr.contains(at), "\(serve.stderr)")
    }

    @Test("docs/link.md linked to /etc/passwd: every command names the link and its target; no line of it reaches the site")
    func linkToPasswd() async throws {
        let dir = try Self.project([:])
        defer { dir.cleanup() }
        await #expect(try Self.run(dir, ["build"]).status == 0)
        try FileManager.default.createSymbolicLink(atPath: dir.file("docs/link.md"), withDestinationPath: "/etc/passwd")
        let at = "docs/link.md:0: error: is a symbolic link to /etc/passwd, outside the docs folder docs;"

        let build = try await Self.run(dir, ["build"])
        #expect(build.status == 1, "\(build.stderr)")
        #expect(build.stderr.contains(at), "\(build.stderr)")
        let check = try await Self.run(dir, ["check", "--skip-site"])
        #expect(check.status == 1)
        #expect(check.stdout.contains(at), "\(check.stdout)")
        let list = try await Self.run(dir, ["list"])
        #expect(list.status == 1)
        #expect(list.stderr.contains(at), "\(list.stderr)")
        let exec = try await Self.run(dir, ["exec", "ops#say", "--env", "test", "--dry-run"])
        #expect(exec.status == 0, "\(exec.stderr)")
        let serve = try #require(try Self.serve(dir))
        #expect(serve.status == 1)
        #expect(serve.stderr.contains(at), "\(serve.stderr)")

        let passwd = String(decoding: try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")), as: UTF8.self)
        let secretLines = passwd.split(separator: "\n").filter { $0.contains(":") }
        try #require(!secretLines.isEmpty)
        let site = SiteTestSupport.snapshot(URL(fileURLWithPath: dir.file("site")))
        #expect(site["ops.html"] != nil, "the previous site stays")
        for (path, bytes) in site {
            let text = String(decoding: bytes, as: UTF8.self)
            for line in secretLines { #expect(!text.contains(line), "\(path) holds '\(line)'") }
            #expect(!text.contains("root:x:0:0"))
        }
    }

    @Test("invalid UTF-8: build, check and list warn at the line of the first bad byte; the page shows U+FFFD")
    func invalidUTF8() async throws {
        let bytes = Array((Self.runnable + "fine\n").utf8) + Array("깨진 ".utf8) + [0xB1, 0xFA] + Array(" 글\n".utf8)
        let dir = try Self.project(["bad.md": bytes])
        defer { dir.cleanup() }
        let at = "docs/bad.md:10: holds bytes that are not UTF-8"
        let build = try await Self.run(dir, ["build"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("runbook: warning: " + at), "\(build.stderr)")
        let page = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("site/bad.html"))), as: UTF8.self)
        #expect(page.contains("깨진 \u{FFFD}"))
        let check = try await Self.run(dir, ["check", "--skip-site"])
        #expect(check.stdout.contains("docs/bad.md:10: warning: holds bytes that are not UTF-8"), "\(check.stdout)")
        #expect(check.status < 128)
        let list = try await Self.run(dir, ["list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stderr.contains("runbook: warning: " + at), "\(list.stderr)")
        let exec = try await Self.run(dir, ["exec", "bad#run", "--env", "test", "--dry-run"])
        #expect(exec.status == 0, "\(exec.stderr)")
    }

    @Test("a 5,000 x 200 table: build writes every row; check, list and exec --dry-run read it")
    func bigTable() async throws {
        let columns = 200, rows = 5_000
        var bytes = Array(Self.runnable.utf8)
        bytes += Array(("|" + (0..<columns).map { "h\($0)" }.joined(separator: "|") + "|\n").utf8)
        bytes += Array(("|" + Array(repeating: "---", count: columns).joined(separator: "|") + "|\n").utf8)
        let row = Array(("|" + Array(repeating: "ok", count: columns).joined(separator: "|") + "|\n").utf8)
        for _ in 0..<rows { bytes += row }
        let dir = try Self.project(["table.md": bytes])
        defer { dir.cleanup() }

        let build = try await Self.run(dir, ["build"])
        #expect(build.status == 0, "\(build.stderr)")
        let page = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("site/table.html"))), as: UTF8.self)
        #expect(page.components(separatedBy: "<tr>").count - 1 == rows + 1)
        #expect(page.components(separatedBy: "<td>ok</td>").count - 1 == rows * columns)
        let check = try await Self.run(dir, ["check", "--skip-site"])
        #expect(check.status < 128)
        // The doc has no front matter (an error of its own); nothing about its markdown.
        #expect(!check.stdout.contains("[markdown-"), "\(check.stdout)")
        let list = try await Self.run(dir, ["list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("table#run"))
        let exec = try await Self.run(dir, ["exec", "table#run", "--env", "test", "--dry-run"])
        #expect(exec.status == 0, "\(exec.stderr)")
    }
}
