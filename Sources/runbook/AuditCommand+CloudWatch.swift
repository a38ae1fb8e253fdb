import ArgumentParser
import AuditTrail
import Foundation
import OpsActions
import RunbookExec

extension AuditCommand {
    /// Where the CloudWatch Logs copy of the audit log is, for `runbook audit verify --cloudwatch`.
    struct CloudWatchOptions: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("Verify the CloudWatch Logs copy in this log group (runbook.toml [audit] cloudwatch_log_group).", valueName: "group"))
        var cloudwatch: String?

        @Option(name: .long, help: ArgumentHelp("The stream to read (default: user@host of this machine, the stream `runbook exec` writes).", valueName: "name"))
        var stream: String?

        @Option(name: .long, help: "Use the region and profile of this runbook.toml environment.")
        var env: String?

        @Option(name: .long, help: "The project config, for --env.")
        var config: String = "runbook.toml"

        @Option(name: .long, help: "AWS region (default: the environment's, then AWS_REGION, AWS_DEFAULT_REGION, the profile).")
        var region: String?

        @Option(name: .long, help: "AWS profile (default: the environment's aws_profile, then AWS_PROFILE).")
        var profile: String?
    }
}

extension AuditCommand.Verify {
    /// Verifies the remote copy and compares it with the local log; prints the findings, fails with exit 1.
    func verifyCloudWatch(group: String) throws {
        let processEnvironment = ProcessInfo.processInfo.environment
        var selection = EnvironmentSelection()
        selection.env = remote.env
        selection.config = remote.config
        let environment = try selection.load()
        let client: LogsClient
        switch AuditMirrorSetup.client(for: environment, processEnvironment: processEnvironment, configPath: remote.config,
                                       region: remote.region, profile: remote.profile) {
        case .success(let c): client = c
        case .failure(let e): throw CLIFailure(["\(e)"], exitCode: 2)
        }
        let me = AuditRecord.Operator.current(environment: processEnvironment)
        let stream = remote.stream ?? CloudWatchAuditMirror.streamName(user: me.user, host: me.host)
        let localPath = log.path
        let report: CloudWatchAuditCheck.Report
        do {
            report = try CloudWatchAuditCheck(key: processEnvironment["RUNBOOK_AUDIT_KEY"])
                .check(client: client, group: group, stream: stream, localPath: localPath)
        } catch {
            throw CLIFailure(["\(error)"], exitCode: 2)
        }
        let place = "cloudwatch \(group) stream \(stream)"
        for w in report.chain.warnings { Terminal.warning("\(place): \(w)") }
        if report.repeats > 0 {
            print("\(place): \(report.repeats) repeated record\(report.repeats == 1 ? "" : "s") ignored (a send retried after a lost reply)")
        }
        if !report.comparedWithLocal { Terminal.warning("no local audit log at \(localPath): only the remote chain was checked") }
        var problems: [String] = []
        if let failure = report.chain.failure {
            let which = report.remoteRecord(at: failure.line)?.summary ?? "remote record #\(failure.line)"
            problems.append("\(place): \(which): \(failure.message)")
        }
        for (remoteRecord, local) in report.editedRemotely {
            problems.append("\(place): \(remoteRecord.summary) differs from the local log's \(local.summary): edited remotely")
        }
        if !report.missingRemotely.isEmpty {
            problems.append("\(report.missingRemotely.count) record\(report.missingRemotely.count == 1 ? " is" : "s are") in the local log \(localPath) but missing from \(place):")
            problems += Self.limited(report.missingRemotely.map { "  missing remotely: \($0.summary)" })
        }
        if !report.notInLocal.isEmpty {
            problems.append("\(report.notInLocal.count) record\(report.notInLocal.count == 1 ? " is" : "s are") in \(place) but not in the local log \(localPath):")
            problems += Self.limited(report.notInLocal.map { "  not in the local log: \($0.summary)" })
        }
        guard problems.isEmpty else {
            problems.append("the CloudWatch copy does not verify: \(report.remote.count) remote records, chain \(report.chain.isValid ? "intact" : "broken")\(report.missingRemotely.isEmpty ? "" : "; the next `runbook exec` sends records its mirror still has queued")")
            throw CLIFailure(problems, exitCode: 1)
        }
        print("\(place): OK, \(report.chain.records) records in \(report.chain.runs) runs, chain head \(report.chain.head)"
              + (report.comparedWithLocal ? "; matches the local log \(localPath)" : ""))
    }

    /// At most 50 lines, then how many more.
    static func limited(_ lines: [String]) -> [String] {
        lines.count <= 50 ? lines : Array(lines.prefix(50)) + ["  ... and \(lines.count - 50) more"]
    }
}
