import Foundation

/// The ECS actions of the runbook on one service: status, redeploy, deploy, wait and rollback
/// (`ECSServiceActions+Rollback.swift`).
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
        progress("\(service): new deployment\(deployment.map { " " + $0 } ?? "") started with \(TaskDefinitionRef(current)?.shortName ?? current)")
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
    func started(by reply: ECSServiceDescription?, recordID: String?, progress: (String) -> Void) -> String? {
        guard let id = reply?.primaryDeployment?.id, !id.isEmpty else { return nil }
        amend(recordID, progress: progress) { $0.deploymentID = id }
        return id
    }

    /// Waits on `deployment` (the PRIMARY of the first look when ECS named none) and records the outcome.
    @discardableResult
    func follow(_ deployment: String?, on taskDefinition: TaskDefinitionRef?, recordID: String?,
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
    func amend(_ recordID: String?, progress: (String) -> Void, _ change: (inout DeploymentRecordStore.Record) -> Void) {
        guard let recordID else { return }
        do {
            try records.amend(id: recordID, region: region, cluster: cluster, service: service, change)
        } catch {
            progress("warning: \(error)")
        }
    }

    func describeTaskDefinition(_ name: String) throws(ECSActionError) -> ECSTaskDefinition {
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
