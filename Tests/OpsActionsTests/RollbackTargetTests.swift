import Foundation
import OpsActions
import Testing
import TestSupport

/// Which revision a rollback goes to, and when it refuses, against moto.
@Suite("Rollback targets")
struct RollbackTargetTests {
    static let digestA = "registry.example/api@sha256:" + String(repeating: "a", count: 64)
    static let digestB = "registry.example/api@sha256:" + String(repeating: "b", count: 64)

    static func refusal(_ error: (any Error)?, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard let error else { return "" }
        guard case .rollbackRefused? = error as? ECSActionError else {
            Issue.record("not a refusal: \(error)", sourceLocation: sourceLocation)
            return ""
        }
        return "\(error)"
    }

    @Test("previous revision deregistered: 3 -> 1, and the plan says why 2 was skipped")
    func previousDeregistered() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.deregister(2)
        let plan = try f.actions().planRollback()
        #expect(plan.target == f.revisions[0])
        #expect(plan.considered.map(\.revisions) == ["\(f.family):2", "\(f.family):1"])
        #expect(plan.considered.first?.verdict == "skipped: not ACTIVE (deregistered)")
        #expect(plan.lines(service: f.service).contains { $0.contains("\(f.family):2") && $0.contains("not ACTIVE") })
    }

    @Test("previous revision known bad (the team rolled back away from it): skipped, with when")
    func previousKnownBad() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.record("deploy", from: 1, to: 2, outcome: .ok, minutesAgo: 120)
        try f.record("rollback", from: 2, to: 1, outcome: .ok, minutesAgo: 100)
        // Revision 3 reached the service outside runbook: no record says what ran before it.
        let plan = try f.actions().planRollback()
        #expect(plan.target == f.revisions[0])
        let skipped = try #require(plan.considered.first)
        #expect(skipped.revisions == "\(f.family):2")
        #expect(skipped.verdict.contains("marked failed by the deployment records: rolled back away from on"))
    }

    @Test("a revision whose deployment the circuit breaker rolled back is skipped too")
    func previousRolledBackByECS() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.record("deploy", from: 1, to: 2, outcome: .rolledBack, minutesAgo: 100)
        let plan = try f.actions().planRollback()
        #expect(plan.target == f.revisions[0])
        #expect(plan.considered.first?.verdict.contains("was rolled back by ECS") == true)
    }

    @Test("current revision deployed twice: the target is what ran before it, never the current one")
    func currentDeployedTwice() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        try f.record("deploy", from: 2, to: 3, outcome: .ok, minutesAgo: 60)
        try f.record("redeploy", from: 3, to: 3, outcome: .ok, minutesAgo: 30)
        let plan = try f.actions().planRollback()
        #expect(plan.target == f.revisions[1])
        #expect(plan.reason.contains("recorded before the last deploy"))
        let result = try f.actions().rollback(plan, wait: true)
        #expect(result.now == f.revisions[1])
    }

    @Test("--to another family: refused, naming the flag; allowed with --allow-family-change")
    func toAnotherFamily() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let other = "other-\(f.family)"
        try f.moto.json(.ecs, "RegisterTaskDefinition", ["family": other,
                                                         "containerDefinitions": [["name": "api", "image": "nginx:9", "memory": 128]]])
        let error = #expect(throws: ECSActionError.self) { try f.actions().planRollback(.init(to: "\(other):1")) }
        let text = Self.refusal(error)
        #expect(text.contains("--to \(other):1 is of family \(other), but \(f.service) runs \(f.family)"))
        #expect(text.contains("\(other):1") && text.contains("skipped: another family"))
        #expect(text.contains("--allow-family-change"))
        let plan = try f.actions().planRollback(.init(to: "\(other):1", allowFamilyChange: true))
        #expect(TaskDefinitionRef(plan.target)?.family == other)
        #expect(plan.notes.contains { $0.contains("changes the task family from \(f.family) to \(other)") })
        #expect(try f.runningRevision() == 3, "planning changes nothing")
    }

    @Test("only one revision: refused, naming the revision considered")
    func onlyOneRevision() throws {
        let f = try ECSFixture(moto: SharedMoto.server(), revisions: 1)
        let error = #expect(throws: ECSActionError.self) { try f.actions().planRollback() }
        let text = Self.refusal(error)
        #expect(text.contains("no ACTIVE revision of \(f.family) below 1 is left to roll back to; nothing changed."))
        #expect(text.contains("\(f.family):1") && text.contains("current"))
    }

    @Test("the target runs the same :latest image: the plan says it will not change code and refuses without --force")
    func sameLatestImage() throws {
        let f = try ECSFixture(moto: SharedMoto.server(), images: ["registry.example/api:latest", "registry.example/api:latest"])
        let error = #expect(throws: ECSActionError.self) { try f.actions().planRollback() }
        let text = Self.refusal(error)
        #expect(text.contains("\(f.family):1 runs the same images as \(f.family):2 (api: registry.example/api:latest)"))
        #expect(text.contains("will not change code"))
        #expect(text.contains("\(f.family):1") && text.contains("chosen"))
        #expect(text.contains("Pass --force"))
        let plan = try f.actions().planRollback(.init(allowSameImages: true))
        #expect(plan.target == f.revisions[0])
        #expect(plan.notes.contains { $0.contains("will not change code") && $0.contains("going ahead because of --force") })
    }

    @Test("digest-pinned images: allowed, both digests in the plan")
    func digestPinned() throws {
        let f = try ECSFixture(moto: SharedMoto.server(), images: [Self.digestA, Self.digestB])
        let plan = try f.actions().planRollback()
        #expect(plan.target == f.revisions[0])
        #expect(plan.images == [.init(container: "api", from: Self.digestB, to: Self.digestA)])
        let lines = plan.lines(service: f.service).joined(separator: "\n")
        #expect(lines.contains("image api: \(Self.digestB) -> \(Self.digestA) (pinned by digest)"))
        #expect(plan.notes.isEmpty)
    }

    @Test("the same digest in both revisions is no code change either")
    func sameDigest() throws {
        let f = try ECSFixture(moto: SharedMoto.server(), images: [Self.digestA, Self.digestA])
        let text = Self.refusal(#expect(throws: ECSActionError.self) { try f.actions().planRollback() })
        #expect(text.contains("will not change code"))
        #expect(!text.contains("a tag is looked up again"))
    }
}

/// The chooser alone: the order of candidates and what the records mark.
@Suite("Rollback candidates from records")
struct RollbackTargetChooserTests {
    static func record(_ action: String, _ from: Int, _ to: Int, _ outcome: DeploymentRecordStore.Outcome?,
                       family: String = "api") -> DeploymentRecordStore.Record {
        .init(action: action, previousTaskDefinition: "\(family):\(from)", previousDesiredCount: 2, newTaskDefinition: "api:\(to)",
              at: Date(timeIntervalSince1970: 1_790_000_000), deploymentID: "ecs-svc/\(to)", outcome: outcome)
    }

    static func refs(_ revisions: [Int]) -> [TaskDefinitionRef] {
        revisions.map { TaskDefinitionRef(family: "api", revision: $0, arn: "arn:aws:ecs:r:1:task-definition/api:\($0)") }
    }

    @Test("the latest word wins: a revision rolled away from and deployed fine since is not marked")
    func latestWordWins() {
        let marks = RollbackTargetChooser.failedRevisions([
            Self.record("deploy", 1, 2, .ok), Self.record("rollback", 2, 1, .ok), Self.record("deploy", 1, 2, .ok),
            Self.record("deploy", 2, 3, .failed),
        ])
        #expect(marks[TaskDefinitionRef(family: "api", revision: 2)] == nil)
        #expect(marks[TaskDefinitionRef(family: "api", revision: 3)]?.contains("deployment ecs-svc/3 failed") == true)
        #expect(marks[TaskDefinitionRef(family: "api", revision: 1)] == nil)
    }

    @Test("runs of revisions that are not ACTIVE are one entry; a huge revision number costs nothing")
    func gapsAreRanges() {
        let chooser = RollbackTargetChooser(current: TaskDefinitionRef(family: "api", revision: 1_000_000_000), active: Self.refs([2, 7]),
                                            records: [])
        let c = chooser.candidates()
        #expect(c.map(\.label) == ["api:8-999999999", "api:7", "api:3-6", "api:2", "api:1"])
        #expect(c.map { $0.skip == nil } == [false, true, false, true, false])
    }

    @Test("what ran before the current revision comes first; from another family it is skipped, never chosen")
    func recordedFirst() {
        let current = TaskDefinitionRef(family: "api", revision: 5)
        let mine = RollbackTargetChooser(current: current, active: Self.refs([1, 2, 3, 4]), records: [Self.record("deploy", 2, 5, .ok)])
        #expect(mine.candidates().map(\.label) == ["api:2", "api:4", "api:3", "api:1"])
        #expect(mine.candidates().first?.skip == nil)
        let other = RollbackTargetChooser(current: current, active: Self.refs([1, 2, 3, 4]),
                                          records: [Self.record("deploy", 2, 5, .ok, family: "legacy")])
        #expect(other.candidates().first?.label == "legacy:2")
        #expect(other.candidates().first?.skip?.contains("another family") == true)
        #expect(other.candidates().dropFirst().first?.label == "api:4")
    }
}
