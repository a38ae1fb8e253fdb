import ArgumentParser
import Foundation
import AuditTrail
import RunbookExec

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check or read the audit log of `runbook exec`.",
        subcommands: [Verify.self, Show.self, Timeline.self])

    struct LogOption: ParsableArguments {
        @Option(name: .long, help: "The audit log (default: $RUNBOOK_AUDIT_LOG, else ~/.local/state/runbook/audit.jsonl).")
        var log: String?

        var path: String { log ?? AuditLog.defaultPath(environment: ProcessInfo.processInfo.environment) }

        /// Verifies the log before `show` or `timeline` present it: a log that does not verify is
        /// said so first, on stderr, and the command exits 1 after printing what it found.
        static func verdict(path: String) throws -> LogVerdict {
            let report = try AuditVerifier(key: ProcessInfo.processInfo.environment["RUNBOOK_AUDIT_KEY"]).verify(path: path)
            guard let failure = report.failure else { return LogVerdict(problem: nil) }
            let problem = "the audit log \(path) does not verify (line \(failure.line): \(failure.message)); what follows may have been altered: run `runbook audit verify`"
            Terminal.error(problem)
            return LogVerdict(problem: problem)
        }
    }

    /// Whether `show`/`timeline` printed a log that failed verification.
    struct LogVerdict {
        var problem: String?

        func failIfBroken() throws {
            // The problem was said before the output; only the exit status is left to give.
            if problem != nil { throw ExitCode(1) }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain: exit 0 if intact, 1 naming the first bad line. Set RUNBOOK_AUDIT_KEY for an HMAC log.",
            discussion: """
            With --cloudwatch GROUP, reads the CloudWatch Logs copy instead (stream user@host of this machine, or \
            --stream), checks its chain the same way, and compares it with the local log: exit 1 when the copy was \
            edited or records are missing on either side, naming them.

            A log cut off at the end still has an intact chain. --expect-head HASH catches that: give the chain \
            head a run printed ("chain head ..."), its Slack run-end notice showed, or the last record of the \
            CloudWatch copy holds; verify fails unless the log still contains it.
            """)

        @OptionGroup var log: LogOption

        @Option(name: .customLong("expect-head"), help: ArgumentHelp("A chain head the log must still contain (from a run's last line, its Slack notice or the CloudWatch copy).", valueName: "hash"))
        var expectHead: String?

        @OptionGroup var remote: CloudWatchOptions

        func run() throws {
            try Terminal.guarded {
                if let group = remote.cloudwatch {
                    try verifyCloudWatch(group: group)
                    return
                }
                let verifier = AuditVerifier(key: ProcessInfo.processInfo.environment["RUNBOOK_AUDIT_KEY"], expectedHead: expectHead)
                let report: AuditVerifier.Report
                do {
                    report = try verifier.verify(path: log.path)
                } catch let e as AuditLogError {
                    throw CLIFailure(e.lines, exitCode: e.exitCode)
                }
                for w in report.warnings { Terminal.warning("\(log.path): \(w)") }
                if let failure = report.failure {
                    throw CLIFailure(["\(log.path):\(failure.line): \(failure.message)",
                                      "the audit log does not verify: \(report.records) records are good up to line \(failure.line - 1)"])
                }
                print("\(log.path): OK, \(report.records) records in \(report.runs) runs, chain head \(report.head)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print runs readably.")

        @OptionGroup var log: LogOption

        @Option(name: .customLong("run"), help: "Only the run with this id (or id prefix).")
        var runID: String?

        @Option(name: .long, help: "Only the last N runs.")
        var last: Int?

        func run() throws {
            try Terminal.guarded {
                do {
                    let verdict = try LogOption.verdict(path: log.path)
                    print(try AuditHistory.load(path: log.path).render(run: runID, last: last), terminator: "")
                    try verdict.failIfBroken()
                } catch let error as AuditLogError {
                    throw CLIFailure(error.lines, exitCode: error.exitCode)
                }
            }
        }
    }
}
