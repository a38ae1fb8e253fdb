import Foundation
import Testing

/// Runs the built `runbook` executable (`.build/debug/runbook`, or `RUNBOOK_BIN`) like an operator would.
enum RunbookBinary {
    static var path: String? {
        if let p = ProcessInfo.processInfo.environment["RUNBOOK_BIN"] { return p }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for candidate in [".build/debug/runbook", ".build/x86_64-unknown-linux-gnu/debug/runbook", ".build/release/runbook"] {
            let p = root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `runbook ARGS` with exactly `environment` (plus PATH), stdin from /dev/null (no terminal).
    static func run(_ arguments: [String], environment: [String: String], directory: String? = nil) throws -> Result? {
        guard let path else {
            Issue.record("runbook binary not found: run `swift build` first (or set RUNBOOK_BIN)")
            return nil
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        p.environment = env
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
