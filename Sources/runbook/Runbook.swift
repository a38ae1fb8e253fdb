import ArgumentParser
import Foundation
import RunbookCore

@main
struct Runbook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Ops docs that run: build the ops site, run runbook sections as audited steps, keep the docs honest.",
        version: "runbook \(version)",
        subcommands: [BuildCommand.self, CheckCommand.self, ListCommand.self, ExecCommand.self, AuditCommand.self, ECSCommand.self,
                      LogsCommand.self, RDSCommand.self, S3Command.self, ProbeCommand.self, NotifyCommand.self, ServeCommand.self]
    )

    /// The release this binary is; `runbook --version` prints it.
    static let version = "0.12.0"

    static func main() async {
        CommonMarkConverter.registerExtensions()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // A wrong flag or argument is a usage error: exit 2, as the README says (and as every
            // refusal before a run does), not ArgumentParser's 64.
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
