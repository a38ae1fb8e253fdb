import Foundation

/// Runs a program to completion and captures its output.
///
/// From `async` code (every test), `run` waits on a thread of its own (`BlockingWork`), never on the
/// cooperative pool, and a cancelled test kills the program. The synchronous overload blocks its
/// caller's thread: it is only for synchronous helpers (a server's set-up), and the compiler picks
/// the `async` one wherever `await` is possible.
public enum ProcessRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `path` (a program on PATH when it has no slash) with `environment` added to this
    /// process's environment, or used alone (plus PATH) when `inheritEnvironment` is false.
    /// Standard input is /dev/null unless `input` is given: never a terminal.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: URL? = nil, input: Data? = nil, inheritEnvironment: Bool = true) async throws -> Result {
        let running = try start(path, arguments, environment: environment, directory: directory, input: input,
                                inheritEnvironment: inheritEnvironment)
        return try await running.finish()
    }

    /// `run` for synchronous callers: blocks the calling thread until the program ends.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: URL? = nil, input: Data? = nil, inheritEnvironment: Bool = true) throws -> Result {
        let running = try start(path, arguments, environment: environment, directory: directory, input: input,
                                inheritEnvironment: inheritEnvironment)
        return running.finishBlocking()
    }

    /// Starts `path` as `run` does and returns at once; `finish()` waits for it.
    public static func start(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                             directory: URL? = nil, input: Data? = nil, inheritEnvironment: Bool = true) throws -> RunningProcess {
        let p = Process()
        if path.contains("/") {
            p.executableURL = URL(fileURLWithPath: path)
            p.arguments = arguments
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [path] + arguments
        }
        if inheritEnvironment {
            var env = ProcessInfo.processInfo.environment
            for (k, v) in environment ?? [:] { env[k] = v }
            p.environment = env
        } else {
            var env = environment ?? [:]
            env["PATH"] = env["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            p.environment = env
        }
        if let directory { p.currentDirectoryURL = directory }
        return try RunningProcess(p, input: input)
    }
}
