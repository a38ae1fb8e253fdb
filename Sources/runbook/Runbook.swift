import ArgumentParser
import DocGen

@main
struct Runbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Ops docs that run: build the ops site, run runbook sections as audited steps, keep the docs honest.",
        subcommands: [BuildCommand.self, CheckCommand.self, ECSCommand.self, ListCommand.self, ServeCommand.self]
    )

    static func main() {
        CommonMarkConverter.registerExtensions()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
