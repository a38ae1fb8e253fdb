import ArgumentParser
import RunbookCore
import Foundation
import OpsActions

/// `runbook rds status`: the database instance's state, size, endpoint and backups.
struct RDSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rds",
        abstract: "RDS: show a database instance's status (native DescribeDBInstances, AWS CLI settings).",
        subcommands: [Status.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Status, engine, class, storage, endpoint, Multi-AZ, backups; exit 1 unless the instance serves queries.")

        @Option(name: .long, help: "DB instance identifier (default: the environment's db_instance).")
        var instance: String?

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        @OptionGroup var selection: EnvironmentSelection
        @OptionGroup var aws: AWSAccessOptions

        func run() throws {
            try Terminal.guarded {
                let environment = try selection.load()
                let id = try selection.required(instance, environment, key: "db_instance", flag: "--instance")
                let settings = try aws.settings(for: environment, selection: selection)
                let status = try RDSClient(settings: settings, timeout: aws.requestTimeout ?? 30).describeDBInstance(id)
                if json {
                    struct Output: Encodable { var instance: DBInstanceStatus; var serving: Bool }
                    try OpsOutput.printJSON(Output(instance: status, serving: status.isServing))
                } else {
                    OpsOutput.printRows(status.report)
                }
                if !status.isServing {
                    throw CLIFailure(["RDS instance \(id) is \(status.status), not serving queries"])
                }
            }
        }
    }
}
