import Foundation

/// A throwaway PostgreSQL server on a loopback port, from Debian's `postgresql` package.
///
/// `initdb` refuses to run as root, so as root the cluster belongs to the `postgres` user
/// (`setpriv`, which execs without forking). The server runs in the foreground as a child of
/// the test (not daemonized by pg_ctl, whose daemon would inherit the test's file descriptors).
/// Trust authentication on 127.0.0.1 only; stopped and deleted by `stop()` or deinit.
public final class PostgresServer: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private let binDir: URL
    private var running = true
    private let server: Process
    /// Stops the server and removes its folder if the test process dies without calling `stop()`.
    private let watcher = Process()

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `postgres://postgres@127.0.0.1:PORT/DB`.
    public func url(database: String = "postgres") -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    public init() throws {
        guard let bin = Self.findBinDir() else {
            throw Failure(description: "PostgreSQL server binaries not found under /usr/lib/postgresql (run scripts/setup)")
        }
        binDir = bin
        port = try LoopbackPort.free()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-pg-\(UUID().uuidString)")
        server = Process()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o777)
        let data = directory.appendingPathComponent("data").path
        try run(["initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"])
        let postgres = binDir.appendingPathComponent("postgres").path
        let args = [postgres, "-D", data, "-p", "\(port)", "-k", directory.path, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
        if getuid() == 0 {
            server.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            server.arguments = ["--reuid=postgres", "--regid=postgres", "--init-groups"] + args
        } else {
            server.executableURL = URL(fileURLWithPath: postgres)
            server.arguments = Array(args.dropFirst())
        }
        let log = directory.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        chmod(log.path, 0o666)
        let logHandle = try FileHandle(forWritingTo: log)
        server.standardOutput = logHandle
        server.standardError = logHandle
        server.standardInput = FileHandle.nullDevice
        try server.run()
        try? logHandle.close()
        watcher.executableURL = URL(fileURLWithPath: "/bin/sh")
        watcher.arguments = ["-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; kill -QUIT \(server.processIdentifier) 2>/dev/null; sleep 2; rm -rf '\(directory.path)'"]
        watcher.standardInput = FileHandle.nullDevice
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        try? watcher.run()
        let deadline = Date().addingTimeInterval(60)
        while true {
            let ready = try ProcessRunner.run(binDir.appendingPathComponent("pg_isready").path, ["-h", "127.0.0.1", "-p", "\(port)", "-q"])
            if ready.status == 0 { break }
            guard server.isRunning, Date() < deadline else {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                stop()
                throw Failure(description: "PostgreSQL did not start on port \(port): \(text.suffix(500))")
            }
            usleep(100_000)
        }
    }

    /// Runs SQL with psql against `database`; returns psql's unaligned, tuples-only output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let out = try ProcessRunner.run("/usr/bin/psql", [url(database: database), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard out.status == 0 else { throw Failure(description: "psql failed: \(out.stderr)") }
        return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func stop() {
        guard running else { return }
        running = false
        if watcher.isRunning { watcher.terminate() }
        if server.isRunning {
            kill(server.processIdentifier, SIGQUIT)  // immediate shutdown
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    private func run(_ argv: [String]) throws {
        var args = argv
        args[0] = binDir.appendingPathComponent(argv[0]).path
        let result: ProcessRunner.Result
        if getuid() == 0 {
            result = try ProcessRunner.run("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups"] + args)
        } else {
            result = try ProcessRunner.run(args[0], Array(args.dropFirst()))
        }
        guard result.status == 0 else {
            throw Failure(description: "\(argv[0]) failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
    }

    private static func findBinDir() -> URL? {
        let base = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = base.appendingPathComponent(v).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        return nil
    }
}
