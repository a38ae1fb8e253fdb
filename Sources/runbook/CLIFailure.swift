import ArgumentParser
import RunbookCore
import Foundation

/// Prints a failure to stderr as plain lines (never a trace) and gives the exit code.
struct CLIFailure: Error, CustomStringConvertible {
    var lines: [String]
    var exitCode: Int32 = 1

    init(_ lines: [String], exitCode: Int32 = 1) {
        self.lines = lines
        self.exitCode = exitCode
    }

    var description: String { lines.joined(separator: "\n") }
}

enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("runbook: \(CLIRedactor.redact(message))\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("runbook: warning: \(CLIRedactor.redact(message))\n".utf8))
    }

    /// Runs `body`, printing any error as one line per problem and exiting with its code.
    static func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ExitCode {
            throw e
        } catch let e as CLIFailure {
            e.lines.forEach(error)
            throw ExitCode(e.exitCode)
        } catch let e as DiagnosticsError {
            for d in e.diagnostics { FileHandle.standardError.write(Data("\(CLIRedactor.redact("\(d)"))\n".utf8)) }
            throw ExitCode(1)
        } catch let e as ConfigError {
            error(e.description)
            throw ExitCode(2)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(1)
        }
    }
}

/// `--config FILE`, shared by every command that reads runbook.toml.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The project config (default: runbook.toml in the current folder).")
    var config: String = "runbook.toml"

    func loadDocSet() throws -> DocSet {
        try DocSet.load(configPath: config)
    }
}
