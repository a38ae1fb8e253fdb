import Foundation
import Testing
import TestSupport

/// Runs the built `runbook` executable (`.build/debug/runbook`, or `RUNBOOK_BIN`) like an operator would.
enum RunbookBinary {
    static var path: String? {
        let p = RunbookExecutable.path
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `runbook ARGS` with exactly `environment` (plus PATH), stdin from /dev/null (no terminal).
    static func run(_ arguments: [String], environment: [String: String], directory: String? = nil) async throws -> Result? {
        guard let path else {
            Issue.record("runbook binary not found: run `swift build` first (or set RUNBOOK_BIN)")
            return nil
        }
        let r = try await ProcessRunner.run(path, arguments, environment: environment,
                                      directory: directory.map { URL(fileURLWithPath: $0) }, inheritEnvironment: false)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}

extension RunbookBinary {
    /// A run measured by `/usr/bin/time`: its result, peak resident memory and wall time.
    struct Measured {
        var result: Result
        /// Peak resident set size of the `runbook` process, in KiB.
        var peakKiB: Int
        var seconds: Double
    }

    /// Runs `runbook ARGS` under `/usr/bin/time -f %M` with exactly `environment` (plus PATH).
    static func runMeasured(_ arguments: [String], environment: [String: String], directory: String? = nil) async throws -> Measured? {
        guard let path else {
            Issue.record("runbook binary not found: run `swift build` first (or set RUNBOOK_BIN)")
            return nil
        }
        let report = NSTemporaryDirectory() + "runbook-time-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: report) }
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/bin:/bin"
        let started = Date()
        let r = try await ProcessRunner.run("/usr/bin/time", ["-f", "%M", "-o", report, path] + arguments, environment: env,
                                      directory: directory.map { URL(fileURLWithPath: $0) }, inheritEnvironment: false)
        let seconds = Date().timeIntervalSince(started)
        let kib = Int((try String(contentsOfFile: report, encoding: .utf8)).split(separator: "\n").last?
            .trimmingCharacters(in: .whitespaces) ?? "") ?? -1
        return Measured(result: Result(status: r.status, stdout: r.stdout, stderr: r.stderr), peakKiB: kib, seconds: seconds)
    }
}

extension Canary {
    /// Records an issue for every canary found in stdout or stderr, without printing the secret.
    static func expectAbsent(_ result: RunbookBinary.Result, _ secrets: [String] = [awsSecret, webhookToken, redisPassword],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, s) in secrets.enumerated() {
            #expect(!result.stdout.contains(s), "canary secret #\(i) appeared on stdout", sourceLocation: sourceLocation)
            #expect(!result.stderr.contains(s), "canary secret #\(i) appeared on stderr", sourceLocation: sourceLocation)
        }
    }
}
