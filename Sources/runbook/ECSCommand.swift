import ArgumentParser
import RunbookCore
import Foundation
import OpsActions

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
            let settings = try aws.resolvedSettings(for: environment, selection: selection, resolver: resolver)
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

    /// Asks on a terminal; without one (and without --yes) refuses with exit 2 before anything changes.
    static func confirm(_ question: String, yes: Bool, environment: EnvironmentConfig?, service: String) throws {
        if yes { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CLIFailure(["refusing to \(question) without --yes: no terminal to ask on; nothing changed"], exitCode: 2)
        }
        if environment?.isProtected == true {
            FileHandle.standardError.write(Data("\(question)?\n\(environment?.name ?? "") is protected: type the service name (\(service)) to go on: ".utf8))
            guard readLine()?.trimmingCharacters(in: .whitespaces) == service else {
                throw CLIFailure(["not confirmed; nothing changed"], exitCode: 2)
            }
            return
        }
        FileHandle.standardError.write(Data("\(question)? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else { throw CLIFailure(["not confirmed; nothing changed"], exitCode: 2) }
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

    struct Redeploy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Force a new deployment of the current task definition (recorded first), then wait until stable.")
        @OptionGroup var target: Target
        @OptionGroup var wait: WaitOptions
        @Flag(name: .long, help: "Do not ask for confirmation.") var yes = false
        @Flag(name: .long, help: "Go on even while another deployment is in progress.") var force = false
        @Flag(name: .long, help: "Return once the deployment has started.") var noWait = false

        func run() throws {
            try Terminal.guarded {
                let (actions, env) = try target.actions(waitDelay: wait.delay, waitTimeout: wait.timeout)
                let s = try actions.describe()
                let td = s.taskDefinition.flatMap(TaskDefinitionRef.init)?.shortName ?? "?"
                try ECSCommand.confirm("redeploy \(actions.service) in \(actions.cluster) (\(actions.region)) with \(td)",
                                       yes: yes, environment: env, service: actions.service)
                let progress = ECSCommand.progressLine()
                let result = try actions.redeploy(force: force, wait: !noWait, progress: progress)
                ECSCommand.endProgress()
                if target.json { return try OpsOutput.printJSON(result) }
                let deployment = result.deploymentID.map { " (deployment \($0))" } ?? ""
                print(noWait ? "redeploy of \(actions.service) started with \(td)\(deployment)"
                             : "\(actions.service) redeployed with \(td)\(deployment) and stable")
            }
        }
    }

    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Roll the service back to the previous ACTIVE task definition (or --to one), wait and verify.")
        @OptionGroup var target: Target
        @OptionGroup var wait: WaitOptions
        @Option(name: .long, help: "Target: a revision number of the service's family, FAMILY:REVISION or an ARN.")
        var to: String?
        @Flag(name: .long, help: "Do not ask for confirmation.") var yes = false
        @Flag(name: .long, help: "Go on while another deployment is in progress, or when the target runs the same images (no code change).")
        var force = false
        @Flag(name: .long, help: "Let --to name another task family than the service's.") var allowFamilyChange = false
        @Flag(name: .long, help: "Return once the service is updated (no stability wait).") var noWait = false

        func run() throws {
            try Terminal.guarded {
                let (actions, env) = try target.actions(waitDelay: wait.delay, waitTimeout: wait.timeout)
                let plan = try actions.planRollback(.init(to: to, ignoreDeploymentInProgress: force, allowSameImages: force,
                                                          allowFamilyChange: allowFamilyChange))
                let from = TaskDefinitionRef(plan.current)?.shortName ?? plan.current
                let into = TaskDefinitionRef(plan.target)?.shortName ?? plan.target
                if !target.json { plan.lines(service: actions.service).forEach { print($0) } }
                try ECSCommand.confirm("roll back \(actions.service) in \(actions.cluster) (\(actions.region)) from \(from) to \(into)",
                                       yes: yes, environment: env, service: actions.service)
                let progress = ECSCommand.progressLine()
                let result = try actions.rollback(plan, wait: !noWait, progress: progress)
                ECSCommand.endProgress()
                if target.json { return try OpsOutput.printJSON(result) }
                let deployment = result.deploymentID.map { " (deployment \($0))" } ?? ""
                print("\(actions.service) now runs \(into)\(deployment)\(noWait ? ", not waited for" : " and is stable")")
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
