import Foundation

/// The ECS actions of the runbook on one service: status, redeploy, wait and rollback.
public struct ECSServiceActions: Sendable {
    public var ecs: ECSClient
    public var region: String
    public var cluster: String
    public var service: String
    public var records: DeploymentRecordStore
    public var waiter: ServiceStabilityWaiter

    public init(ecs: ECSClient, region: String, cluster: String, service: String, records: DeploymentRecordStore,
                waiter: ServiceStabilityWaiter? = nil) {
        self.ecs = ecs
        self.region = region
        self.cluster = cluster
        self.service = service
        self.records = records
        self.waiter = waiter ?? ServiceStabilityWaiter(ecs: ecs)
    }

    // MARK: - status

    /// The service (it must exist), without its tasks.
    public func describe() throws(ECSActionError) -> ECSServiceDescription {
        let out: ECSClient.DescribeServicesOutput
        do {
            out = try ecs.describeServices(cluster: cluster, services: [service])
        } catch {
            throw .aws(error)
        }
        guard let s = out.services.first, s.status != "INACTIVE" else { throw .notFound(cluster: cluster, service: service) }
        return s
    }

    /// Service, deployments, events and the service's tasks.
    public func status() throws(ECSActionError) -> ServiceStatus {
        let s = try describe()
        var tasks: [ECSTask] = []
        do {
            let arns = try ecs.listTasks(cluster: cluster, serviceName: service)
            if !arns.isEmpty {
                // ListTasks' serviceName filter is not honoured everywhere (moto): keep the service's group.
                tasks = try ecs.describeTasks(cluster: cluster, tasks: arns).tasks.filter { $0.group == "service:\(service)" }
            }
        } catch {
            throw .aws(error)
        }
        tasks.sort { ($0.startedAt?.date ?? .distantPast) > ($1.startedAt?.date ?? .distantPast) }
        let stable = ServiceStabilityWaiter.judge(.init(services: [s]), service: service, expected: nil) == .stable
        return ServiceStatus(cluster: cluster, service: s, tasks: tasks, stable: stable)
    }

    // MARK: - redeploy

    /// What a redeploy did.
    public struct RedeployResult: Codable, Sendable {
        public var taskDefinition: String
        public var desiredCount: Int?
        public var waited: Bool
        /// The deployment ECS started (nil when its reply named none).
        public var deploymentID: String?
        /// How it ended when waited for.
        public var outcome: DeploymentRecordStore.Outcome?
    }

    /// Records the current task definition and desired count, then forces a new deployment and,
    /// unless `wait` is false, waits on that deployment (see `ServiceStabilityWaiter`); refuses while
    /// another deployment is in progress unless `force`. A deployment that fails, is rolled back or
    /// replaced throws `deploymentFailed`; the record carries the deployment id and the outcome.
    public func redeploy(force: Bool, wait: Bool, progress: (String) -> Void = { _ in }) throws(ECSActionError) -> RedeployResult {
        let s = try describe()
        try refuseIfInProgress(s, force: force)
        guard let current = s.taskDefinition else { throw .notFound(cluster: cluster, service: service) }
        let recordID = try record(action: "redeploy", previous: current, desired: s.desiredCount, new: current)
        let updated: ECSServiceDescription?
        do {
            updated = try ecs.updateService(cluster: cluster, service: service, forceNewDeployment: true)
        } catch {
            throw .aws(error)
        }
        let deployment = started(by: updated, recordID: recordID, progress: progress)
        progress("\(service): new deployment \(deployment ?? "") started with \(TaskDefinitionRef(current)?.shortName ?? current)")
        var outcome: DeploymentRecordStore.Outcome?
        if wait {
            try follow(deployment, on: TaskDefinitionRef(current), recordID: recordID, progress: progress)
            outcome = .ok
        }
        return RedeployResult(taskDefinition: current, desiredCount: s.desiredCount, waited: wait, deploymentID: deployment, outcome: outcome)
    }

    // MARK: - deploy

    /// What a change of task definition did.
    public struct DeployResult: Codable, Sendable {
        /// Task definition before (as ECS reported it).
        public var previousTaskDefinition: String
        /// The full ARN the service was updated to.
        public var taskDefinition: String
        public var desiredCount: Int?
        public var waited: Bool
        public var deploymentID: String?
        public var outcome: DeploymentRecordStore.Outcome?
    }

    /// Points the service at `taskDefinition` (any form; confirmed ACTIVE and passed as its full
    /// ARN), as `aws ecs update-service --task-definition` does: records the current one first
    /// (as `action`), records the deployment ECS started and, unless `wait` is false, waits on it.
    /// Refuses while another deployment is in progress unless `force`.
    public func deploy(taskDefinition: String, forceNewDeployment: Bool = false, force: Bool, wait: Bool, action: String = "deploy",
                       progress: (String) -> Void = { _ in }) throws(ECSActionError) -> DeployResult {
        let s = try describe()
        try refuseIfInProgress(s, force: force)
        let current = s.taskDefinition ?? "?"
        let target = try describeTaskDefinition(taskDefinition)
        guard target.status == "ACTIVE", let arn = target.taskDefinitionArn else {
            throw .taskDefinitionNotActive(name: taskDefinition, status: target.status)
        }
        let recordID = try record(action: action, previous: current, desired: s.desiredCount, new: arn)
        let updated: ECSServiceDescription?
        do {
            updated = try ecs.updateService(cluster: cluster, service: service, taskDefinition: arn, forceNewDeployment: forceNewDeployment)
        } catch {
            throw .aws(error)
        }
        let deployment = started(by: updated, recordID: recordID, progress: progress)
        progress("\(service): \(TaskDefinitionRef(current)?.shortName ?? current) -> \(TaskDefinitionRef(arn)?.shortName ?? arn)")
        var outcome: DeploymentRecordStore.Outcome?
        if wait {
            try follow(deployment, on: TaskDefinitionRef(arn), recordID: recordID, progress: progress)
            outcome = .ok
        }
        return DeployResult(previousTaskDefinition: current, taskDefinition: arn, desiredCount: s.desiredCount, waited: wait,
                            deploymentID: deployment, outcome: outcome)
    }

    // MARK: - following a change

    /// Throws `deploymentInProgress` when the service has more than one deployment or its PRIMARY
    /// rollout is IN_PROGRESS, unless `force`.
    public func refuseIfInProgress(_ s: ECSServiceDescription, force: Bool) throws(ECSActionError) {
        guard !force else { return }
        let deployments = s.deployments ?? []
        if deployments.count > 1 {
            throw .deploymentInProgress(service: service, detail: "\(deployments.count) deployments")
        }
        if let p = s.primaryDeployment, p.rolloutState == "IN_PROGRESS" {
            throw .deploymentInProgress(service: service, detail: "PRIMARY deployment \(p.id ?? "") rollout IN_PROGRESS")
        }
    }

    /// Appends the record of a change about to be made; its id, for adding the deployment and outcome.
    @discardableResult
    func record(action: String, previous: String, desired: Int?, new: String) throws(ECSActionError) -> String? {
        let r = DeploymentRecordStore.Record(action: action, previousTaskDefinition: previous, previousDesiredCount: desired,
                                             newTaskDefinition: new)
        do {
            try records.append(r, region: region, cluster: cluster, service: service)
        } catch {
            throw .state(error)
        }
        return r.id
    }

    /// The deployment UpdateService started (its reply's PRIMARY), added to the change's record.
    private func started(by reply: ECSServiceDescription?, recordID: String?, progress: (String) -> Void) -> String? {
        guard let id = reply?.primaryDeployment?.id, !id.isEmpty else { return nil }
        amend(recordID, progress: progress) { $0.deploymentID = id }
        return id
    }

    /// Waits on `deployment` (the PRIMARY of the first look when ECS named none) and records the outcome.
    @discardableResult
    private func follow(_ deployment: String?, on taskDefinition: TaskDefinitionRef?, recordID: String?,
                        progress: (String) -> Void) throws(ECSActionError) -> ECSServiceDescription {
        do {
            let s = try waiter.wait(cluster: cluster, service: service,
                                    for: WaitTarget(deploymentID: deployment, taskDefinition: taskDefinition), progress: progress)
            amend(recordID, progress: progress) { $0.outcome = .ok }
            return s
        } catch {
            if case .deploymentFailed(_, _, let failure) = error {
                amend(recordID, progress: progress) { $0.outcome = failure.outcome }
            }
            throw error
        }
    }

    /// Adds to a change's record. The change is made by now: a failure to write is a warning, not an error.
    private func amend(_ recordID: String?, progress: (String) -> Void, _ change: (inout DeploymentRecordStore.Record) -> Void) {
        guard let recordID else { return }
        do {
            try records.amend(id: recordID, region: region, cluster: cluster, service: service, change)
        } catch {
            progress("warning: \(error)")
        }
    }

    // MARK: - rollback

    /// Where a rollback goes and why.
    public struct RollbackPlan: Codable, Sendable {
        /// Task definition now (as ECS reports it).
        public var current: String
        /// Full ARN of the target, confirmed ACTIVE.
        public var target: String
        /// How it was chosen: `--to`, `recorded before the last redeploy`, `highest ACTIVE revision below N`.
        public var reason: String
        /// The service's desired count when planned (recorded with the change).
        public var desiredCount: Int?
    }

    /// Chooses the rollback target without changing anything.
    ///
    /// `to` (a revision number, `family:rev` or an ARN) wins; else the task definition recorded before
    /// the change that brought the service to its current one; else the highest ACTIVE revision of the
    /// service's own family below the current one. Every candidate is confirmed ACTIVE with
    /// DescribeTaskDefinition; never a blind `revision - 1`. Refuses while a deployment is in
    /// progress unless `force`.
    public func planRollback(to: String? = nil, force: Bool = false) throws(ECSActionError) -> RollbackPlan {
        let s = try describe()
        try refuseIfInProgress(s, force: force)
        guard let currentText = s.taskDefinition, var current = TaskDefinitionRef(currentText) else {
            throw .noRollbackTarget(service: service, reason: "ECS reports no task definition for it")
        }
        if current.revision == nil {
            let td = try describeTaskDefinition(current.bestName)
            current = TaskDefinitionRef(td.taskDefinitionArn ?? "") ?? current
        }
        guard let currentRevision = current.revision else {
            throw .noRollbackTarget(service: service, reason: "cannot tell the revision of \(currentText)")
        }

        if let to {
            let wanted: TaskDefinitionRef
            if let rev = Int(to), rev > 0 {
                wanted = TaskDefinitionRef(family: current.family, revision: rev)
            } else if let ref = TaskDefinitionRef(to), ref.revision != nil {
                wanted = ref
            } else {
                throw .badRollbackTarget("--to \(to) is not a revision number, FAMILY:REVISION or a task definition ARN")
            }
            if wanted.sameRevision(as: current) {
                throw .badRollbackTarget("\(service) already runs \(current.shortName)")
            }
            let td = try describeTaskDefinition(wanted.bestName)
            guard td.status == "ACTIVE", let arn = td.taskDefinitionArn else {
                throw .badRollbackTarget("\(wanted.shortName) is \(td.status ?? "not ACTIVE") (deregistered); ECS would not start it")
            }
            return RollbackPlan(current: currentText, target: arn, reason: "--to \(to)", desiredCount: s.desiredCount)
        }

        // The change that brought the service to what it runs now, if runbook made it.
        let history: [DeploymentRecordStore.Record]
        do {
            history = try records.records(region: region, cluster: cluster, service: service)
        } catch {
            throw .state(error)
        }
        if let last = history.last(where: { TaskDefinitionRef($0.newTaskDefinition)?.sameRevision(as: current) == true }),
           last.action != "rollback",
           let previous = TaskDefinitionRef(last.previousTaskDefinition), !previous.sameRevision(as: current),
           previous.family == current.family || previous.arn != nil {
            let td = try describeTaskDefinition(previous.bestName)
            if td.status == "ACTIVE", let arn = td.taskDefinitionArn {
                return RollbackPlan(current: currentText, target: arn,
                                    reason: "recorded before the last \(last.action) (\(last.at.formatted(.iso8601)))",
                                    desiredCount: s.desiredCount)
            }
        }

        let arns: [String]
        do {
            arns = try ecs.listTaskDefinitions(family: current.family, status: "ACTIVE")
        } catch {
            throw .aws(error)
        }
        let candidates = arns.compactMap(TaskDefinitionRef.init)
            .filter { $0.family == current.family && ($0.revision ?? 0) < currentRevision }
            .sorted { ($0.revision ?? 0) > ($1.revision ?? 0) }
        for c in candidates {
            let td = try describeTaskDefinition(c.bestName)
            if td.status == "ACTIVE", let arn = td.taskDefinitionArn {
                return RollbackPlan(current: currentText, target: arn, reason: "highest ACTIVE revision of \(current.family) below \(currentRevision)",
                                    desiredCount: s.desiredCount)
            }
        }
        throw .noRollbackTarget(service: service, reason: "no ACTIVE revision of \(current.family) below \(currentRevision)")
    }

    /// What a rollback did.
    public struct RollbackResult: Codable, Sendable {
        public var plan: RollbackPlan
        public var waited: Bool
        /// The task definition ECS reports afterwards.
        public var now: String
        /// The deployment ECS started (nil when its reply named none).
        public var deploymentID: String?
        /// How it ended when waited for.
        public var outcome: DeploymentRecordStore.Outcome?
    }

    /// Carries out `plan`: records the current task definition, UpdateService with the target's full
    /// ARN, waits on the deployment that started (unless `wait` is false), and verifies.
    public func rollback(_ plan: RollbackPlan, wait: Bool, progress: (String) -> Void = { _ in }) throws(ECSActionError) -> RollbackResult {
        let recordID = try record(action: "rollback", previous: plan.current, desired: plan.desiredCount, new: plan.target)
        let updated: ECSServiceDescription?
        do {
            updated = try ecs.updateService(cluster: cluster, service: service, taskDefinition: plan.target)
        } catch {
            throw .aws(error)
        }
        let deployment = started(by: updated, recordID: recordID, progress: progress)
        let target = TaskDefinitionRef(plan.target)
        progress("\(service): rolling back \(TaskDefinitionRef(plan.current)?.shortName ?? plan.current) -> \(target?.shortName ?? plan.target)")
        let after: ECSServiceDescription
        if wait {
            after = try follow(deployment, on: target, recordID: recordID, progress: progress)
        } else {
            after = try describe()
        }
        let now = after.taskDefinition ?? "?"
        guard let target, TaskDefinitionRef(now)?.sameRevision(as: target) == true else {
            throw .verificationFailed(service: service, expected: plan.target, actual: now)
        }
        return RollbackResult(plan: plan, waited: wait, now: now, deploymentID: deployment, outcome: wait ? .ok : nil)
    }

    private func describeTaskDefinition(_ name: String) throws(ECSActionError) -> ECSTaskDefinition {
        do {
            return try ecs.describeTaskDefinition(name)
        } catch {
            throw .aws(error)
        }
    }
}

extension ECSClient.DescribeServicesOutput {
    init(services: [ECSServiceDescription]) {
        self.services = services
        self.failures = []
    }
}
