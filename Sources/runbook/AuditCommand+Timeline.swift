import ArgumentParser
import Foundation
import AuditTrail
import RunbookExec

extension AuditCommand {
    /// `runbook audit timeline --run ID`: a run as the post-mortem timeline.
    struct Timeline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run as the post-mortem timeline: a Markdown table to paste, or JSON.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case md, json
        }

        @OptionGroup var log: LogOption

        @Option(name: .customLong("run"), help: "The run id (or a unique prefix), as `runbook audit show` prints it.")
        var runID: String

        @Option(name: .long, help: "md (a Markdown table) or json.")
        var format: Format = .md

        func run() throws {
            try Terminal.guarded {
                do {
                    let verdict = try LogOption.verdict(path: log.path)
                    let history = try AuditHistory.load(path: log.path)
                    let timeline = try AuditTimeline.build(run: runID, history: history, logPath: log.path)
                    print(format == .md ? timeline.markdown() : timeline.json(), terminator: format == .md ? "" : "\n")
                    try verdict.failIfBroken()
                } catch let error as AuditLogError {
                    throw CLIFailure(error.lines, exitCode: error.exitCode)
                }
            }
        }
    }
}
