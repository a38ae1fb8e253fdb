import RunbookCore
import OpsActions
import SystemIO

/// The ECS actions: describe, list, redeploy, new task definition, wait, rollback.
extension OpsActionExecutor {
    func describeServices(cluster: String?, services: [String], aws: AWSOptions, context: NativeActionContext,
                          cancel: CancelFlag) async throws -> NativeActionResult {
        let ecs = try ecsClient(aws, context.environment)
        let cluster = try required(cluster, "cluster")
        return try await BlockingWork.run(cancel: cancel) {
            let out = try ecs.describeServices(cluster: cluster, services: services)
            for s in out.services {
                let stable = (s.deployments ?? []).count == 1 && s.runningCount == s.desiredCount
                ServiceStatus(cluster: cluster, service: s, tasks: [], stable: stable).lines().filter { !$0.hasPrefix("  tasks (") }.forEach(context.output)
            }
            for f in out.failures { context.output(Self.failureLine(f)) }
            let allFound = out.failures.isEmpty && out.services.count == services.count
            return NativeActionResult(succeeded: allFound, message: allFound ? nil : "ECS did not find every service")
        }
    }

    func describeTasks(cluster: String?, tasks: [String], aws: AWSOptions, context: NativeActionContext,
                       cancel: CancelFlag) async throws -> NativeActionResult {
        let ecs = try ecsClient(aws, context.environment)
        let cluster = try required(cluster, "cluster")
        return try await BlockingWork.run(cancel: cancel) {
            let out = try ecs.describeTasks(cluster: cluster, tasks: tasks)
            for t in out.tasks { context.output(Self.taskLine(t)) }
            for f in out.failures { context.output(Self.failureLine(f)) }
            let ok = out.failures.isEmpty && !out.tasks.isEmpty
            return NativeActionResult(succeeded: ok, message: ok ? "\(out.tasks.count) task(s)" : "ECS did not describe every task")
        }
    }

    func listTasks(cluster: String?, serviceName: String?, desiredStatus: String?, aws: AWSOptions, context: NativeActionContext,
                   cancel: CancelFlag) async throws -> NativeActionResult {
        let ecs = try ecsClient(aws, context.environment)
        let cluster = try required(cluster, "cluster")
        return try await BlockingWork.run(cancel: cancel) {
            let arns = try ecs.listTasks(cluster: cluster, serviceName: serviceName, desiredStatus: desiredStatus)
            arns.forEach(context.output)
            return NativeActionResult(succeeded: true, message: "\(arns.count) task(s)")
        }
    }

    func forceNewDeployment(cluster: String?, service: String, aws: AWSOptions, context: NativeActionContext,
                            cancel: CancelFlag) async throws -> NativeActionResult {
        let actions = try serviceActions(cluster: cluster, service: service, aws: aws, env: context.environment, context: context, cancel: cancel)
        let key = deploymentKey(actions)
        let force = context.force || started.contains(key)
        let started = self.started
        return try await BlockingWork.run(cancel: cancel) {
            let result = try actions.redeploy(force: force, wait: false, progress: context.output)
            started.insert(key)
            let now = try actions.describe()
            let td = Self.short(result.taskDefinition)
            return NativeActionResult(
                succeeded: true, message: "new deployment of \(actions.service) started with \(td)",
                before: ["task_definition": result.taskDefinition, "desired_count": result.desiredCount.map(String.init) ?? "?"],
                after: ["task_definition": now.taskDefinition ?? "?", "deployments": String(now.deployments?.count ?? 0)])
        }
    }

    func updateTaskDefinition(cluster: String?, service: String, taskDefinition: String, forceNewDeployment: Bool, aws: AWSOptions,
                              context: NativeActionContext, cancel: CancelFlag) async throws -> NativeActionResult {
        let actions = try serviceActions(cluster: cluster, service: service, aws: aws, env: context.environment, context: context, cancel: cancel)
        let key = deploymentKey(actions)
        let force = context.force || started.contains(key)
        let started = self.started
        return try await BlockingWork.run(cancel: cancel) {
            let s = try actions.describe()
            try actions.refuseIfInProgress(s, force: force)
            let current = s.taskDefinition ?? "?"
            let target = try actions.ecs.describeTaskDefinition(taskDefinition)
            guard target.status == "ACTIVE", let arn = target.taskDefinitionArn else {
                return NativeActionResult(succeeded: false, message: "\(taskDefinition) is \(target.status ?? "not ACTIVE"); nothing changed")
            }
            try actions.records.append(.init(action: "deploy", previousTaskDefinition: current, previousDesiredCount: s.desiredCount,
                                             newTaskDefinition: arn),
                                       region: actions.region, cluster: actions.cluster, service: actions.service)
            let updated = try actions.ecs.updateService(cluster: actions.cluster, service: actions.service, taskDefinition: arn,
                                                        forceNewDeployment: forceNewDeployment)
            started.insert(key)
            context.output("\(actions.service): \(Self.short(current)) -> \(Self.short(arn))")
            return NativeActionResult(succeeded: true, message: "\(actions.service) updated to \(Self.short(arn))",
                                      before: ["task_definition": current], after: ["task_definition": updated?.taskDefinition ?? arn])
        }
    }

    func waitServicesStable(cluster: String?, services: [String], aws: AWSOptions, context: NativeActionContext,
                            cancel: CancelFlag) async throws -> NativeActionResult {
        let ecs = try ecsClient(aws, context.environment)
        let cluster = try required(cluster, "cluster")
        let waiter = waiter(ecs, context: context, cancel: cancel)
        return try await BlockingWork.run(cancel: cancel) {
            var lines: [String] = []
            for service in services {
                let s = try waiter.wait(cluster: cluster, service: service, progress: context.output)
                lines.append("\(service): \(ServiceStabilityWaiter.describe(s))")
            }
            return NativeActionResult(succeeded: true, message: "stable: " + lines.joined(separator: "; "))
        }
    }

    func rollback(cluster: String?, service: String?, to: String? = nil, wait: Bool = true, allowFamilyChange: Bool = false, aws: AWSOptions,
                  context: NativeActionContext, cancel: CancelFlag) async throws -> NativeActionResult {
        let actions = try serviceActions(cluster: cluster, service: try required(service, "service"), aws: aws, env: context.environment,
                                         context: context, cancel: cancel)
        let key = deploymentKey(actions)
        let force = context.force || started.contains(key)
        let started = self.started
        return try await BlockingWork.run(cancel: cancel) {
            // --force also lets a rollback to the same images go ahead (it then changes no code).
            let plan = try actions.planRollback(.init(to: to, ignoreDeploymentInProgress: force, allowSameImages: context.force,
                                                      allowFamilyChange: allowFamilyChange))
            plan.lines(service: actions.service).forEach(context.output)
            started.insert(key)
            let result = try actions.rollback(plan, wait: wait, progress: context.output)
            return NativeActionResult(succeeded: true, message: "\(actions.service) now runs \(Self.short(result.now))\(wait ? " and is stable" : " (not waited for)")",
                                      before: ["task_definition": plan.current, "rollback_reason": plan.reason],
                                      after: ["task_definition": result.now])
        }
    }
}
