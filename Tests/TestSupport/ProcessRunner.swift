import Foundation

/// Runs a program to completion and captures its output.
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
                           directory: URL? = nil, input: Data? = nil, inheritEnvironment: Bool = true) throws -> Result {
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
        // Output goes to files, not pipes: a daemon the program starts (pg_ctl start) would keep a
        // pipe open forever and reading it to the end would hang.
        let tmp = FileManager.default.temporaryDirectory
        let outURL = tmp.appendingPathComponent("runbook-proc-\(UUID().uuidString).out")
        let errURL = tmp.appendingPathComponent("runbook-proc-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        p.standardOutput = outHandle
        p.standardError = errHandle
        let inPipe = Pipe()
        p.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try p.run()
        try? outHandle.close()
        try? errHandle.close()
        if let input {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        p.waitUntilExit()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
