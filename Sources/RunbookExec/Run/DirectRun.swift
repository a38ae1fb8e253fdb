import Foundation
import RunbookCore

/// `runbook ecs redeploy|rollback` (and `scripts/rollback.sh`, which calls it): native actions
/// run as a one-step section through the same plan, bind, gate, lock, run and record as
/// `runbook exec`. There is no second door to production: the account check, the prompt (a
/// protected environment wants the service name), the lock, the audit records with the state
/// before and after, and the Slack notices are those of every run.
public enum DirectRun {
    public struct Request: Sendable {
        /// How the operator asked, without `runbook ` (`ecs rollback`): the run's step and title.
        public var command: String
        /// The step's id (`rollback`, `redeploy`).
        public var stepID: String
        /// The actions, in order, for the service the run targets (`--service`, else the
        /// environment's); a cluster left nil comes from the environment.
        public var actions: @Sendable (_ service: String) -> [NativeAction]
        public var environment: String?
        /// `--cluster` / `--service`: the target instead of the environment's.
        public var cluster: String?
        public var service: String?
        public var yes = false
        public var force = false
        public var dryRun = false
        public var json = false
        public var timeoutSeconds = 900

        public init(command: String, stepID: String, environment: String?, actions: @escaping @Sendable (_ service: String) -> [NativeAction]) {
            self.command = command
            self.stepID = stepID
            self.actions = actions
            self.environment = environment
        }
    }

    /// Runs `request` and returns the exit status, as `RunbookRunner.exec` does.
    public static func exec(_ request: Request, config: RunbookConfig, root: URL, world: ExecWorld) async throws(ExecError) -> Int32 {
        var environment = try RunbookRunner.chooseEnvironment(request.environment, config: config)
        if let cluster = request.cluster { environment.cluster = cluster }
        if let service = request.service { environment.service = service }
        guard let service = environment.service, !service.isEmpty else {
            throw ExecError(.invalid, "no ECS service: pass --service, or --env NAME with service in runbook.toml")
        }
        let title = "runbook \(request.command)"
        let docName = "runbook-" + request.command.replacingOccurrences(of: " ", with: "-")
        let step = Step(id: request.stepID, hasExplicitID: true, language: "bash", kind: .act, hasExplicitKind: true,
                        timeoutSeconds: request.timeoutSeconds, confirm: true, condition: nil, skip: false, code: title,
                        parameters: [], line: 1, sectionID: request.stepID)
        let commands = request.actions(service).map { action in
            PlannedCommand(action: .native(action), source: title, line: 1, reason: nil,
                           effect: action.changesState ? .changesState("\(title) changes the service") : .readOnly, parameters: [])
        }
        let plan = SectionPlan(docPath: title, docName: docName, sectionID: request.stepID, title: title,
                               steps: [StepPlan(step: step, commands: commands)])
        let binder = PlanBinder(config: config, environment: environment, sets: [], processEnvironment: world.processEnvironment,
                                resolvers: world.resolvers)
        let bound = try await binder.bind(plan, selection: [request.stepID], resolve: !request.dryRun)
        var execRequest = ExecRequest(target: plan.target, environment: environment.name)
        execRequest.yes = request.yes
        execRequest.force = request.force
        execRequest.dryRun = request.dryRun
        execRequest.json = request.json
        execRequest.displayCommand = "\(title) --env \(environment.name)"
        let document = DocumentParser.parse("# \(title)\n", path: title, name: docName).document
        return try await RunbookRunner.showPlanAndRun(execRequest, bound: bound, docSet: DocSet(config: config, root: root),
                                                      document: document, world: world)
    }
}
