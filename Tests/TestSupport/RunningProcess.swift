import Foundation
import SystemIO
#if canImport(Glibc)
import Glibc
#endif

/// A program a test started: its pid, where its output goes, and a wait for its end that keeps
/// the cooperative pool free.
///
/// Output goes to files, not pipes: a daemon the program starts (pg_ctl start) would keep a pipe
/// open forever and reading it to the end would hang. Standard input is a file too (`input`, else
/// /dev/null), so starting never blocks on a full pipe.
public final class RunningProcess: Sendable {
    private let process: Process
    public let pid: Int32
    /// The files that collect the program's stdout and stderr while it runs (see `WaitFor.file`).
    public let stdoutPath: String
    public let stderrPath: String
    private let inputPath: String?

    init(_ process: Process, input: Data?) throws {
        let tmp = FileManager.default.temporaryDirectory.path + "/runbook-proc-" + UUID().uuidString
        stdoutPath = tmp + ".out"
        stderrPath = tmp + ".err"
        let inPath = input == nil ? nil : tmp + ".in"
        inputPath = inPath
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        if let inPath { _ = FileManager.default.createFile(atPath: inPath, contents: input) }
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let inHandle = try inPath.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        defer {
            // The child has its own copies; these are closed either way.
            try? outHandle.close()
            try? errHandle.close()
            if inPath != nil { try? inHandle.close() }
        }
        try process.run()
        self.process = process
        pid = process.processIdentifier
    }

    deinit {
        for path in [stdoutPath, stderrPath] + (inputPath.map { [$0] } ?? []) { unlink(path) }
    }

    /// Sends `signal` to the program.
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the program to end and returns its status and output. A cancelled task kills it
    /// (SIGKILL) and throws `CancellationError` at once.
    public func finish() async throws -> ProcessRunner.Result {
        let process = self.process
        let pid = self.pid
        try await withTaskCancellationHandler {
            try await BlockingWork.run { process.waitUntilExit() }
        } onCancel: {
            kill(pid, SIGKILL)
        }
        return result()
    }

    /// `finish()` for synchronous callers: blocks the calling thread.
    func finishBlocking() -> ProcessRunner.Result {
        process.waitUntilExit()
        return result()
    }

    private func result() -> ProcessRunner.Result {
        let out = FileManager.default.contents(atPath: stdoutPath) ?? Data()
        let err = FileManager.default.contents(atPath: stderrPath) ?? Data()
        return ProcessRunner.Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                                    stderr: String(decoding: err, as: UTF8.self))
    }
}
