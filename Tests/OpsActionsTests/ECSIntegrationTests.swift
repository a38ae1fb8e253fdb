import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("ECS actions against moto: status, redeploy, wait, rollback")
struct ECSIntegrationTests {
    @Test("status shows the service, its PRIMARY deployment and only its own tasks")
    func status() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.moto.json(.ecs, "RunTask", ["cluster": f.cluster, "taskDefinition": "\(f.family):1", "group": "family:other",
                                          "launchType": "FARGATE", "count": 1])
        let status = try f.actions().status()
        #expect(status.service.serviceName == f.service)
        #expect(status.service.desiredCount == 2)
        #expect(status.service.runningCount == 2)
        #expect(status.service.primaryDeployment?.rolloutState == "COMPLETED")
        #expect(status.stable)
        #expect(status.tasks.count == 1)
        #expect(status.tasks.first?.group == "service:\(f.service)")
        let text = status.lines().joined(separator: "\n")
        #expect(text.contains("task definition: \(f.family):3"))
        #expect(text.contains("PRIMARY \(f.family):3 running 2/2 rollout COMPLETED"))
    }

    @Test("status of a missing service says so")
    func statusMissing() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let a = ECSServiceActions(ecs: f.ecs, region: "ap-northeast-2", cluster: f.cluster, service: "nope", records: f.records)
        #expect { try a.status() } throws: { "\($0)".contains("ECS service nope not found in cluster \(f.cluster)") }
    }

    @Test("redeploy records the task definition and desired count first, then starts a deployment")
    func redeployRecords() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let before = try f.actions().describe().primaryDeployment?.id
        let result = try f.actions().redeploy(force: false, wait: true)
        #expect(TaskDefinitionRef(result.taskDefinition)?.revision == 3)
        let records = try f.records.records(region: "ap-northeast-2", cluster: f.cluster, service: f.service)
        #expect(records.count == 1)
        #expect(records.first?.action == "redeploy")
        #expect(records.first?.previousTaskDefinition == f.revisions[2])
        #expect(records.first?.previousDesiredCount == 2)
        #expect(try f.actions().describe().primaryDeployment?.id != before)
    }

    @Test("redeploy refuses while a deployment is in progress and changes nothing; --force goes on")
    func redeployRefusesInProgress() throws {
        let f = try ECSFixture(moto: SharedMoto.server(), desired: 3)  // moto runs 2 of 3: rollout IN_PROGRESS
        let before = try f.actions().describe().primaryDeployment?.id
        #expect { try f.actions().redeploy(force: false, wait: false) } throws: { "\($0)".contains("already has a deployment in progress") }
        #expect(try f.actions().describe().primaryDeployment?.id == before)
        #expect(try f.records.records(region: "ap-northeast-2", cluster: f.cluster, service: f.service).isEmpty)
        _ = try f.actions().redeploy(force: true, wait: false)
        #expect(try f.actions().describe().primaryDeployment?.id != before)
    }

    @Test("wait returns once the service is stable on the expected task definition")
    func waitStable() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let s = try f.actions().waiter.wait(cluster: f.cluster, service: f.service, expected: TaskDefinitionRef(f.revisions[2]))
        #expect(s.runningCount == 2)
    }

    @Test("wait times out with the last state when the service never settles")
    func waitTimesOut() throws {
        let f = try ECSFixture(moto: SharedMoto.server(), desired: 3)
        #expect { try f.actions(waitTimeout: 1).waiter.wait(cluster: f.cluster, service: f.service) } throws: { e in
            let text = "\(e)"
            return text.contains("\(f.service) in \(f.cluster) not stable after 1s") && text.contains("running 2/3")
                && text.contains("rollout IN_PROGRESS")
        }
    }

    @Test("rollback from revision 3 goes to 2, with the full ARN, and verifies")
    func rollbackToPrevious() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let plan = try f.actions().planRollback()
        #expect(plan.target == f.revisions[1])
        let result = try f.actions().rollback(plan, wait: true)
        #expect(result.now == f.revisions[1])
        #expect(try f.runningRevision() == 2)
    }

    @Test("with revision 2 deregistered, rollback from 3 goes to 1")
    func rollbackSkipsInactive() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.deregister(2)
        _ = try f.actions().rollback(try f.actions().planRollback(), wait: true)
        #expect(try f.runningRevision() == 1)
    }

    @Test("--to 1 rolls back to revision 1; --to a deregistered revision refuses")
    func rollbackTo() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.deregister(2)
        #expect { try f.actions().planRollback(to: "2") } throws: { "\($0)".contains("is INACTIVE") }
        _ = try f.actions().rollback(try f.actions().planRollback(to: "1"), wait: true)
        #expect(try f.runningRevision() == 1)
    }

    @Test("no earlier ACTIVE revision: rollback refuses with a clear message and changes nothing")
    func rollbackNothingEarlier() throws {
        let f = try ECSFixture(moto: SharedMoto.server(), revisions: 2)
        try f.deregister(1)
        #expect { try f.actions().planRollback() } throws: { e in
            "\(e)".contains("no ACTIVE revision of \(f.family) below 2") && "\(e)".contains("nothing changed")
        }
        #expect(try f.runningRevision() == 2)
    }

    @Test("the task definition recorded before the last change wins over the revision order")
    func rollbackUsesRecord() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.records.append(.init(action: "deploy", previousTaskDefinition: f.revisions[0], previousDesiredCount: 2,
                                   newTaskDefinition: f.revisions[2]), region: "ap-northeast-2", cluster: f.cluster, service: f.service)
        let plan = try f.actions().planRollback()
        #expect(plan.target == f.revisions[0])
        #expect(plan.reason.contains("recorded before the last deploy"))
    }

    @Test("a service whose task definition is stored as family:revision (as moto keeps it) rolls back too")
    func rollbackFromShortName() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.moto.json(.ecs, "UpdateService", ["cluster": f.cluster, "service": f.service, "taskDefinition": "\(f.family):2"])
        let plan = try f.actions().planRollback()
        #expect(plan.current == "\(f.family):2")
        #expect(plan.target == f.revisions[0])
        _ = try f.actions().rollback(plan, wait: true)
        #expect(try f.runningRevision() == 1)
    }

    @Test("rollback refuses while a deployment is in progress unless forced")
    func rollbackRefusesInProgress() throws {
        let f = try ECSFixture(moto: SharedMoto.server(), desired: 3)
        #expect { try f.actions().planRollback() } throws: { "\($0)".contains("already has a deployment in progress") }
        #expect(try f.actions().planRollback(force: true).target == f.revisions[1])
        #expect(try f.runningRevision() == 3)
    }
}
