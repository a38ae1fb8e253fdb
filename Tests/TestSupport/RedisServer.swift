import Foundation
import OpsActions

/// Debian's `redis-server` on a free loopback port, with no persistence, for integration tests.
/// Stopped by `stop()`, when released, or when the test process is gone (like `MotoServer`).
public final class RedisServer: @unchecked Sendable {
    // `@unchecked`: `process` is set once in init and only read after.
    public let port: Int
    private let process: Process
    private let directory: URL

    /// Starts redis-server (with `requirepass` when `password` is given) and waits until it answers.
    public init(password: String? = nil, readyTimeout: Double = 15) throws {
        port = try LoopbackPort.free()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-test-\(getpid())-\(port)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The password goes in a config file, not the command line (ps would show it).
        var conf = "bind 127.0.0.1\nport \(port)\nsave \"\"\nappendonly no\ndir \(directory.path)\n"
        if let password { conf += "requirepass \(password)\n" }
        let confPath = directory.appendingPathComponent("redis.conf").path
        try conf.write(toFile: confPath, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let script = """
            redis-server '\(confPath)' >/dev/null 2>&1 </dev/null &
            pid=$!
            trap 'kill -9 $pid 2>/dev/null; exit 0' TERM INT
            while kill -0 \(getpid()) 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 0.5; done
            kill -9 $pid 2>/dev/null
            """
        process.arguments = ["-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(readyTimeout)
        while Date() < deadline {
            if let client = try? RedisClient(host: "127.0.0.1", port: port, timeout: 1), (try? client.command(["PING"])) != nil {
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw TestSupportError("redis-server did not answer on 127.0.0.1:\(port) within \(Int(readyTimeout))s; is redis-server installed (scripts/setup)?")
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A connected client, authenticated when `password` is given.
    public func client(password: String? = nil) throws -> RedisClient {
        let c = try RedisClient(host: "127.0.0.1", port: port)
        if let password { try c.authenticate(password: password) }
        return c
    }
}
