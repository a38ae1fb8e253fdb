import ArgumentParser
import RunbookCore
import Foundation
import OpsActions
import RunbookExec

/// `runbook ecs status|redeploy|rollback|wait`: the ECS ops actions, run natively.
struct ECSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecs",
        abstract: "ECS ops actions: status, redeploy, rollback, wait (native AWS calls, AWS CLI settings).",
        subcommands: [Status.self, Redeploy.self, Rollback.self, Wait.self])

    /// Where the service is and how to reach AWS; shared by every ecs subcommand.
    struct Target: ParsableArguments {
        @OptionGroup var selection: EnvironmentSelection

        @Option(name: .long, help: "ECS cluster (default: the environment's cluster).")
        var cluster: String?

        @Option(name: .long, help: "ECS service (default: the environment's service).")
        var service: String?

        @OptionGroup var aws: AWSAccessOptions

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        /// The resolved service actions, or an error saying what is missing.
        func actions(waitDelay: Double = 15, waitTimeout: Double = 600) throws -> (ECSServiceActions, EnvironmentConfig?) {
            let environment = try selection.load()
            guard let cluster = cluster ?? environment?.cluster else {
                throw CLIFailure(["no ECS cluster: pass --cluster or --env NAME with cluster in runbook.toml"], exitCode: 2)
            }
            guard let service = service ?? environment?.service else {
                throw CLIFailure(["no ECS service: pass --service or --env NAME with service in runbook.toml"], exitCode: 2)
            }
            let resolver = AWSSettingsResolver.current()
            // The account binding holds for reading too: status of the wrong account's service misleads.
            let settings = try aws.settings(for: environment, selection: selection)
            let ecs = ECSClient(settings: settings, timeout: aws.requestTimeout ?? AWSAccessOptions.defaultRequestTimeout)
            let waiter = ServiceStabilityWaiter(ecs: ecs, delay: waitDelay, timeout: waitTimeout)
            let store = DeploymentRecordStore.standard(environment: resolver.environment, home: resolver.home)
            return (ECSServiceActions(ecs: ecs, region: settings.region, cluster: cluster, service: service, records: store,
                                      waiter: waiter), environment)
        }
    }

    /// `--delay`/`--timeout` of the stability wait.
    struct WaitOptions: ParsableArguments {
        @Option(name: .long, help: "Seconds between polls while waiting.")
        var delay: Double = 15

        @Option(name: .long, help: "Seconds to wait for the service to become stable before failing.")
        var timeout: Double = 600
    }


    /// Progress for the wait: one rewritten line on a terminal, nothing otherwise.
    static func progressLine() -> (String) -> Void {
        guard isatty(STDERR_FILENO) == 1 else { return { _ in } }
        return { line in FileHandle.standardError.write(Data("\r\u{1B}[K\(CLIRedactor.redact(line))".utf8)) }
    }

    static func endProgress() {
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Runs `actions` as a one-step run through the gate every change passes (`DirectRun`): account
    /// check, the one prompter, the lock, the audit records and notices.
    static func runThroughGate(command: String, stepID: String, target: Target, wait: WaitOptions, yes: Bool, force: Bool,
                               dryRun: Bool, actions: @escaping @Sendable (String) -> [NativeAction]) async throws {
        let interrupt = InterruptFlag()
        interrupt.installSIGINTHandler()
        try await Terminal.guardedAsync {
            let selection = target.selection
            let config: RunbookConfig
            if FileManager.default.fileExists(atPath: selection.config) {
                config = try RunbookConfig.load(path: selection.config)
            } else if selection.env != nil {
                throw CLIFailure(["cannot read \(selection.config) (needed for --env \(selection.env ?? "")); pass --config FILE"], exitCode: 2)
            } else {
                config = RunbookConfig()
            }
            if let env = selection.env, let environment = config.environments[env] { CLIRedactor.include(environment) }
            var request = DirectRun.Request(command: command, stepID: stepID, environment: selection.env, actions: actions)
            request.cluster = target.cluster
            request.service = target.service
            request.yes = yes
            request.force = force
            request.json = target.json
            request.dryRun = dryRun
            request.timeoutSeconds = Int(wait.timeout.rounded(.up)) + 1
            let executor = OpsActionExecutor(requestTimeout: target.aws.requestTimeout ?? AWSAccessOptions.defaultRequestTimeout,
                                             waitDelay: wait.delay)
            let world = ExecWorld.terminal(config: config, executor: executor, json: target.json, interrupt: interrupt)
            let root = URL(fileURLWithPath: selection.config).deletingLastPathComponent()
            try await ExecWorld.exitWith { () async throws(ExecError) -> Int32 in
                try await DirectRun.exec(request, config: config, root: root, world: world)
            }
        }
    }

    // MARK: - subcommands

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the service: counts, deployments, tasks, recent events.")
        @OptionGroup var target: Target

        func run() throws {
            try Terminal.guarded {
                let (actions, _) = try target.actions()
                let status = try actions.status()
                if target.json { return try OpsOutput.printJSON(status) }
                status.lines().forEach { print($0) }
            }
        }
    }

    struct Redeploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Force a new deployment of the current task definition (recorded first), then wait until stable.",
            discussion: "A one-step run through the same gate as runbook exec: account check, confirmation (a protected environment asks for the service name), lock, audit log.")
        @OptionGroup var target: Target
        @OptionGroup var wait: WaitOptions
        @Flag(name: .long, help: "Do not ask for confirmation.") var yes = false
        @Flag(name: .long, help: "Go on even while another deployment is in progress.") var force = false
        @Flag(name: .long, help: "Return once the deployment has started.") var noWait = false
        @Flag(name: .long, help: "Print the plan and stop; nothing is sent anywhere.") var dryRun = false

        func run() async throws {
            let aws = AWSOptions(region: target.aws.region, profile: target.aws.profile)
            let (cluster, noWait) = (target.cluster, self.noWait)
            try await ECSCommand.runThroughGate(command: "ecs redeploy", stepID: "redeploy", target: target, wait: wait, yes: yes,
                                                force: force, dryRun: dryRun) { service in
                [.ecsForceNewDeployment(cluster: cluster, service: service, aws: aws)]
                    + (noWait ? [] : [.ecsWaitServicesStable(cluster: cluster, services: [service], aws: aws)])
            }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Roll the service back to the previous ACTIVE task definition (or --to one), wait and verify.",
            discussion: "A one-step run through the same gate as runbook exec: account check, confirmation (a protected environment asks for the service name), lock, audit log with the task definitions before and after.")
        @OptionGroup var target: Target
        @OptionGroup var wait: WaitOptions
        @Option(name: .long, help: "Target: a revision number of the service's family, FAMILY:REVISION or an ARN.")
        var to: String?
        @Flag(name: .long, help: "Do not ask for confirmation.") var yes = false
        @Flag(name: .long, help: "Go on while another deployment is in progress, or when the target runs the same images (no code change).")
        var force = false
        @Flag(name: .long, help: "Let --to name another task family than the service's.") var allowFamilyChange = false
        @Flag(name: .long, help: "Return once the service is updated (no stability wait).") var noWait = false
        @Flag(name: .long, help: "Print the plan and stop; nothing is sent anywhere.") var dryRun = false

        func run() async throws {
            let aws = AWSOptions(region: target.aws.region, profile: target.aws.profile)
            let (cluster, to, noWait, allowFamilyChange) = (target.cluster, self.to, self.noWait, self.allowFamilyChange)
            try await ECSCommand.runThroughGate(command: "ecs rollback", stepID: "rollback", target: target, wait: wait, yes: yes,
                                                force: force, dryRun: dryRun) { service in
                [.rollback(cluster: cluster, service: service, to: to, wait: !noWait, allowFamilyChange: allowFamilyChange, aws: aws)]
            }
        }
    }

    struct Wait: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until the service's deployment has completed (PRIMARY, rollout COMPLETED, all tasks running).",
            discussion: """
                Fails (exit 1) with the newest service events as soon as the deployment FAILED, is gone, \
                was rolled back by the circuit breaker or replaced, or when the service settles on another \
                task definition than --task-definition.
                """)
        @OptionGroup var target: Target
        @OptionGroup var wait: WaitOptions
        @Option(name: .long, help: "Fail unless the service settles on this task definition (FAMILY:REVISION or an ARN).")
        var taskDefinition: String?
        @Option(name: .long, help: "The deployment to wait on (ecs-svc/..., as redeploy and rollback print it); default: the PRIMARY one.")
        var deployment: String?

        func run() throws {
            try Terminal.guarded {
                var expected: TaskDefinitionRef?
                if let taskDefinition {
                    guard let ref = TaskDefinitionRef(taskDefinition), ref.revision != nil else {
                        throw CLIFailure(["--task-definition \(taskDefinition) is not FAMILY:REVISION or a task definition ARN"], exitCode: 2)
                    }
                    expected = ref
                }
                if let deployment, deployment.isEmpty {
                    throw CLIFailure(["--deployment needs a deployment id (ecs-svc/...)"], exitCode: 2)
                }
                let (actions, _) = try target.actions(waitDelay: wait.delay, waitTimeout: wait.timeout)
                let s = try actions.waiter.wait(cluster: actions.cluster, service: actions.service,
                                                for: WaitTarget(deploymentID: deployment, taskDefinition: expected),
                                                progress: ECSCommand.progressLine())
                ECSCommand.endProgress()
                if target.json { return try OpsOutput.printJSON(s) }
                let primary = s.primaryDeployment?.id.map { "deployment \($0) completed; " } ?? ""
                print("\(actions.service) is stable: \(primary)\(ServiceStabilityWaiter.describe(s))")
            }
        }
    }
}
