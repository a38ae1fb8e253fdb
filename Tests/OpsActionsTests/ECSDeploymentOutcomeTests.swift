import Foundation
import OpsActions
import Testing
import TestSupport

/// Changes whose deployment fails, played by the ECS-shaped proxy in front of moto.
@Suite("Deployments that fail, are rolled back or replaced (moto behind the deployment proxy)")
struct ECSDeploymentOutcomeTests {
    static func records(_ f: ECSFixture) throws -> [DeploymentRecordStore.Record] {
        try f.records.records(region: "ap-northeast-2", cluster: f.cluster, service: f.service)
    }

    static func failure(_ error: any Error, sourceLocation: SourceLocation = #_sourceLocation) -> DeploymentFailure? {
        if case .deploymentFailed(_, _, let failure)? = error as? ECSActionError { return failure }
        Issue.record("not a deployment failure: \(error)", sourceLocation: sourceLocation)
        return nil
    }

    @Test("a deployment that completes: the record has its id and the outcome ok")
    func completes() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let proxy = try ECSDeploymentProxy(moto: f.moto)
        let result = try f.actions(through: proxy).redeploy(force: false, wait: true)
        #expect(result.deploymentID?.hasPrefix("ecs-svc/") == true)
        #expect(result.outcome == .ok)
        let record = try #require(try Self.records(f).last)
        #expect(record.deploymentID == result.deploymentID)
        #expect(record.outcome == .ok)
    }

    @Test("redeploy when the circuit breaker rolls back: an error with the events, recorded as rolled-back")
    func redeployRolledBack() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let proxy = try ECSDeploymentProxy(moto: f.moto)
        try proxy.arm(.circuitBreakerRollback, service: f.service, cluster: f.cluster)
        let error = #expect(throws: ECSActionError.self) { try f.actions(through: proxy).redeploy(force: false, wait: true) }
        let failure = try #require(error.flatMap { Self.failure($0) })
        #expect(failure.kind == .rolledBack)
        #expect(failure.deploymentID == proxy.ids.new)
        #expect(failure.events.contains { $0.contains("(deployment \(proxy.ids.new)) deployment failed: tasks failed to start.") })
        #expect(failure.events.contains { $0.contains("rolling back to deployment \(proxy.ids.rollback)") })
        let record = try #require(try Self.records(f).last)
        #expect(record.deploymentID == proxy.ids.new)
        #expect(record.outcome == .rolledBack)
    }

    @Test("rollback whose rollout goes FAILED: an error with the reason, recorded as failed")
    func rollbackFailed() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let proxy = try ECSDeploymentProxy(moto: f.moto)
        let actions = f.actions(through: proxy)
        let plan = try actions.planRollback()
        try proxy.arm(.failedRollout, service: f.service, cluster: f.cluster)
        let error = #expect(throws: ECSActionError.self) { try actions.rollback(plan, wait: true) }
        let failure = try #require(error.flatMap { Self.failure($0) })
        #expect(failure.kind == .failed)
        #expect(failure.summary.contains("FAILED: ECS deployment circuit breaker: tasks failed to start"))
        #expect(failure.events.contains { $0.contains("CannotPullContainerError") })
        #expect(try Self.records(f).last?.outcome == .failed)
    }

    @Test("a rollout that never finishes: a timeout with the last state and the events; the outcome stays unknown")
    func neverFinishes() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let proxy = try ECSDeploymentProxy(moto: f.moto)
        try proxy.arm(.neverFinishes, service: f.service, cluster: f.cluster)
        #expect { try f.actions(through: proxy, waitTimeout: 0.5).redeploy(force: false, wait: true) } throws: { e in
            let text = "\(e)"
            return text.contains("not stable after") && text.contains("following deployment \(proxy.ids.new)")
                && text.contains("unable to place a task")
        }
        let record = try #require(try Self.records(f).last)
        #expect(record.deploymentID == proxy.ids.new)
        #expect(record.outcome == nil, "a timeout does not say the deployment failed")
    }

    @Test("a deployment runbook did not start is in progress: redeploy refuses and changes nothing")
    func foreignInProgress() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let proxy = try ECSDeploymentProxy(moto: f.moto)
        try proxy.arm(.foreignDeploymentInProgress, service: f.service, cluster: f.cluster)
        #expect { try f.actions(through: proxy).redeploy(force: false, wait: true) } throws: {
            "\($0)".contains("already has a deployment in progress")
        }
        #expect(proxy.updates == 0)
        #expect(try Self.records(f).isEmpty)
    }

    @Test("someone else's deployment replaces the one runbook started: the wait fails and says so")
    func replaced() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let proxy = try ECSDeploymentProxy(moto: f.moto)
        try proxy.arm(.replacedByForeignDeployment, service: f.service, cluster: f.cluster)
        let error = #expect(throws: ECSActionError.self) { try f.actions(through: proxy).redeploy(force: false, wait: true) }
        let failure = try #require(error.flatMap { Self.failure($0) })
        #expect(failure.kind == .replaced)
        #expect(failure.summary.contains(proxy.ids.foreign))
        #expect(try Self.records(f).last?.outcome == .failed)
    }

    @Test("deploy (the native update-service --task-definition step): records the ARN, the deployment and the outcome")
    func deployTaskDefinition() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let proxy = try ECSDeploymentProxy(moto: f.moto)
        try proxy.arm(.circuitBreakerRollback, service: f.service, cluster: f.cluster)
        #expect(throws: ECSActionError.self) { try f.actions(through: proxy).deploy(taskDefinition: "\(f.family):2", force: false, wait: true) }
        let record = try #require(try Self.records(f).last)
        #expect(record.action == "deploy")
        #expect(record.newTaskDefinition == f.revisions[1])
        #expect(record.deploymentID == proxy.ids.new)
        #expect(record.outcome == .rolledBack)
    }
}
