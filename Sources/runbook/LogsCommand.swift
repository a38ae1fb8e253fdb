import ArgumentParser
import RunbookCore
import Foundation
import OpsActions

/// `runbook logs tail`: CloudWatch Logs events, like `aws logs tail`.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "CloudWatch Logs: tail a log group (native FilterLogEvents, AWS CLI settings).",
        subcommands: [Tail.self])

    struct Tail: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a log group's events since a time, one line each (time, stream, message); --follow polls for new ones.")

        @Argument(help: "Log group (default: the environment's log_group).")
        var group: String?

        @Option(name: .long, help: "How far back: a duration (30s, 10m, 1h, 2d) or a time (2026-11-27T05:00:00Z).")
        var since: String = "10m"

        @Flag(name: .long, help: "Keep polling for new events until --follow-timeout.")
        var follow = false

        @Option(name: .long, help: "Seconds to follow before stopping (the tail never waits forever).")
        var followTimeout: Double = 300

        @Option(name: .long, help: "Seconds between polls while following.")
        var pollInterval: Double = 2

        @Option(name: .long, help: "CloudWatch Logs filter pattern (e.g. ERROR, or '{ $.level = \"error\" }').")
        var filterPattern: String?

        @Option(name: .long, help: ArgumentHelp("Events per FilterLogEvents page.", visibility: .hidden))
        var pageSize: Int?

        @Flag(name: .long, help: "Print one JSON object per event (JSON Lines).")
        var json = false

        @OptionGroup var selection: EnvironmentSelection
        @OptionGroup var aws: AWSAccessOptions

        func validate() throws {
            if followTimeout <= 0 { throw ValidationError("--follow-timeout must be more than 0 seconds") }
            if pollInterval <= 0 { throw ValidationError("--poll-interval must be more than 0 seconds") }
            if let p = pageSize, p < 1 || p > 10_000 { throw ValidationError("--page-size must be 1...10000") }
        }

        func run() throws {
            try Terminal.guarded {
                let environment = try selection.load()
                let group = try selection.required(group, environment, key: "log_group", flag: "GROUP")
                let start = try LogSince.parse(since, now: Date())
                let settings = try aws.settings(for: environment, selection: selection)
                let client = LogsClient(settings: settings, timeout: aws.requestTimeout ?? 30)
                let tailer = LogTailer(client: client, pageLimit: pageSize, pollInterval: pollInterval)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let summary = try tailer.tail(group: group, since: start, filterPattern: filterPattern,
                                              followFor: follow ? followTimeout : nil) { event in
                    if json, let data = try? encoder.encode(event) {
                        print(String(decoding: data, as: UTF8.self))
                    } else {
                        print(event.line)
                    }
                    fflush(nil)
                }
                if follow {
                    OpsOutput.note("stopped following \(group) after \(followTimeout == followTimeout.rounded() ? String(Int(followTimeout)) : String(followTimeout))s (\(summary.events) events)")
                }
            }
        }
    }
}
