import Foundation
import Testing
import TestSupport

/// `scripts/dev-env`: the loopback stand-ins the README's walk-through runs against.
@Suite("scripts/dev-env")
struct DevEnvTests {
    /// A copy of the project with the docs and the dev-env scripts, so the test never touches the
    /// developer's own .dev-env/.
    static func project() throws -> URL {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("runbook-devenv-\(UUID().uuidString)")
        try fm.createDirectory(at: root.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        let repo = CLIRunner.repoRoot
        try fm.copyItem(at: repo.appendingPathComponent("docs"), to: root.appendingPathComponent("docs"))
        for script in ["dev-env", "dev-env-seed.py", "dev-fake-http.py", "rollback.sh"] {
            try fm.copyItem(at: repo.appendingPathComponent("scripts/\(script)"), to: root.appendingPathComponent("scripts/\(script)"))
        }
        return root
    }

    /// `export NAME=VALUE` lines as a dictionary.
    static func exports(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count)
            guard let eq = pair.firstIndex(of: "=") else { continue }
            out[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return out
    }

    /// Whether `pid` runs (a zombie does not).
    static func running(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ") ", options: .backwards) else { return false }
        return !stat[close.upperBound...].hasPrefix("Z")
    }

    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    @Test func upServesTheDevEnvironmentAndDownLeavesNothingRunning() async throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let devEnv = root.appendingPathComponent("scripts/dev-env").path
        // The copy has no .venv of its own: point it at the checkout's, as `source .venv/bin/activate` would.
        let venv = ["VIRTUAL_ENV": ProcessInfo.processInfo.environment["VIRTUAL_ENV"]
                    ?? RunbookExecutable.packageRoot.appendingPathComponent(".venv").path]
        // Whatever happens below, nothing is left running.
        defer { _ = try? ProcessRunner.run(devEnv, ["down"], environment: venv, directory: root) }

        let up = try await ProcessRunner.run(devEnv, ["up"], environment: venv, directory: root)
        try #require(up.status == 0, "\(up.stderr)")
        let env = Self.exports(up.stdout)
        #expect(env["AWS_ENDPOINT_URL"]?.hasPrefix("http://127.0.0.1:") == true, "\(up.stdout)")
        #expect(env["MINDHIT_DATABASE_URL"]?.hasPrefix("postgres://postgres@127.0.0.1:") == true, "\(up.stdout)")
        #expect(env["AWS_ACCESS_KEY_ID"] == "AKIDEXAMPLE")
        let toml = try String(contentsOf: root.appendingPathComponent("runbook.dev.toml"), encoding: .utf8)
        #expect(toml.contains("[env.dev]") && toml.contains("database_url_env = \"MINDHIT_DATABASE_URL\""), "\(toml)")

        let status = try await CLIRunner.run(["ecs", "status", "--config", "runbook.dev.toml", "--env", "dev"], in: root, environment: env)
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
        #expect(status.stdout.contains("mindhit-api in mindhit-cluster: ACTIVE, desired 2, running 2"), "\(status.stdout)")
        #expect(status.stdout.contains("PRIMARY mindhit-api:2"), "\(status.stdout)")

        // The other stand-ins answer as the docs' steps expect.
        let health = try await CLIRunner.run(["exec", "runbook#daily-check", "--config", "runbook.dev.toml", "--env", "dev"], in: root,
                                       environment: env)
        #expect(health.status == 0, "\(health.stdout)\(health.stderr)")
        #expect(try await ProcessRunner.run("/usr/bin/psql", [env["MINDHIT_DATABASE_URL"] ?? "", "-X", "-A", "-t", "-c",
                                                          "SELECT count(*) FROM users"]).stdout == "50\n")

        // A second `up` keeps what runs: same ports, nothing restarted.
        let pidFiles = ["moto", "postgres", "redis", "health", "prometheus"]
        func pids() async -> [Int32] {
            pidFiles.compactMap { name in
                (try? String(contentsOf: root.appendingPathComponent(".dev-env/\(name).pid"), encoding: .utf8))
                    .flatMap { Int32($0.split(separator: "\n").first ?? "") }
            }
        }
        let before = await pids()
        #expect(before.count == 5 && before.allSatisfy(Self.running), "\(before)")
        let again = try await ProcessRunner.run(devEnv, ["up"], environment: venv, directory: root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.exports(again.stdout) == env)
        await #expect(pids() == before)
        let ports = try String(contentsOf: root.appendingPathComponent(".dev-env/ports"), encoding: .utf8)
            .split(separator: "\n").compactMap { $0.split(separator: "=").last.flatMap { Int($0) } }
        #expect(ports.count == 5 && ports.allSatisfy(Self.listening), "\(ports)")

        let down = try await ProcessRunner.run(devEnv, ["down"], environment: venv, directory: root)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(!before.contains(where: Self.running), "still running after down: \(before.filter(Self.running))")
        #expect(!ports.contains(where: Self.listening), "still listening after down: \(ports.filter(Self.listening))")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".dev-env").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("runbook.dev.toml").path))
    }
}
