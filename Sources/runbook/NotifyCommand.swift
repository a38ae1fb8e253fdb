import ArgumentParser
import RunbookCore
import Foundation
import OpsActions

/// `runbook notify slack`: post a notice to the environment's Slack webhook (to test it).
struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Send a notice (Slack incoming webhook; the URL is a secret read from an environment variable).",
        subcommands: [Slack.self])

    struct Slack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post TEXT to the Slack webhook; a failed post is a warning (exit 0) unless --strict.")

        @Option(name: .long, help: "The message.")
        var text: String

        @Option(name: .long, help: "Environment variable holding the webhook URL (default: the environment's slack_webhook_env).")
        var webhookEnv: String?

        @Flag(name: .long, help: "Exit 1 when the notice is not delivered.")
        var strict = false

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        @OptionGroup var selection: EnvironmentSelection

        func run() throws {
            try Terminal.guarded {
                let environment = try selection.load()
                guard let variable = webhookEnv ?? environment?.slackWebhookEnv else {
                    throw CLIFailure(["no webhook: pass --webhook-env NAME, or --env NAME with slack_webhook_env in runbook.toml"], exitCode: 2)
                }
                let notifier: SlackNotifier
                do {
                    notifier = try SlackNotifier.fromEnvironment(variable: variable)
                } catch {
                    throw CLIFailure(["\(error)"], exitCode: 2)
                }
                let delivery = notifier.post(text: text)
                struct Output: Encodable { var delivered: Bool; var problem: String? }
                switch delivery {
                case .delivered:
                    if json { try OpsOutput.printJSON(Output(delivered: true, problem: nil)) } else { print("notice sent to the webhook in \(variable)") }
                case .failed(let why):
                    Terminal.warning("Slack notice not delivered: \(why)")
                    if json { try OpsOutput.printJSON(Output(delivered: false, problem: why)) }
                    if strict { throw ExitCode(1) }
                }
            }
        }
    }
}
