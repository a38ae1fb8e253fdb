import AuditTrail
import ArgumentParser
import RunbookCore
import Foundation
import RunbookExec

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a runbook section (DOC#ID) as audited steps.",
        discussion: """
        Recognised commands (aws ecs/logs/rds/sts/s3 cp, ./scripts/rollback.sh, curl to /health or \
        Prometheus, redis-cli INFO) run natively with the AWS CLI's settings (AWS_PROFILE, AWS_REGION, \
        AWS_ENDPOINT_URL, ~/.aws); the rest runs in bash with set -euo pipefail. $(date [-u] +FORMAT) is \
        evaluated once, when the run starts. With slack_webhook_env set in the environment and that \
        variable set, the run posts its start, failed steps and end (with the audit chain head) to Slack.
        Exit status: 0 every step ok, 1 a step failed or the run was interrupted, 2 refused or invalid \
        (nothing ran). State-changing steps ask on a terminal; without one, pass --yes.
        """)

    @OptionGroup var options: ConfigOption

    @Argument(help: "The section to run: DOC#ID, e.g. incident-response#api-down.")
    var target: String

    @Option(name: .long, help: "The environment in runbook.toml to run against.")
    var env: String?

    @Flag(name: .long, help: "Print the plan and stop; nothing is sent anywhere.")
    var dryRun = false

    @Flag(name: .long, help: "Do not ask before state-changing steps.")
    var yes = false

    @Option(name: .customLong("set"), help: "A parameter value, NAME=VALUE (repeatable).")
    var sets: [String] = []

    @Option(name: .long, help: "Run only this step (repeatable).")
    var only: [String] = []

    @Option(name: .long, help: "Start at this step.")
    var from: String?

    @Flag(name: .long, help: "Print the plan as JSON, and in a real run one JSON event per line.")
    var json = false

    @Flag(name: .long, help: "Let a redeploy or rollback go ahead while a deployment it did not start is in progress.")
    var force = false

    func run() async throws {
        let interrupt = InterruptFlag()
        interrupt.installSIGINTHandler()
        try await Terminal.guardedAsync {
            let docSet = try options.loadDocSet()
            var request = ExecRequest(target: target, environment: env)
            request.sets = try sets.map { pair in
                guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                    throw CLIFailure(["--set \(pair): expected NAME=VALUE"], exitCode: 2)
                }
                return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
            }
            request.only = only
            request.from = from
            request.dryRun = dryRun
            request.yes = yes
            request.json = json
            request.force = force
            let world = ExecWorld.terminal(config: docSet.config, executor: OpsActionExecutor(), json: json, interrupt: interrupt)
            try await ExecWorld.exitWith { () async throws(ExecError) -> Int32 in
                try await RunbookRunner.exec(request, docSet: docSet, world: world)
            }
        }
    }
}
