import Foundation
import OpsActions
import Testing
import TestSupport

/// `runbook ecs rollback` refusals and plans through the binary: what an operator reads.
@Suite("runbook ecs rollback: targets through the CLI")
struct ECSRollbackTargetCLITests {
    typealias Outcome = ECSDeploymentOutcomeCLITests

    @Test("--to another family: exit 1 naming --allow-family-change; with it the rollback runs")
    func anotherFamily() async throws {
        let w = try Outcome.world()
        let other = "other-\(w.fixture.family)"
        let out = try w.fixture.moto.json(.ecs, "RegisterTaskDefinition", [
            "family": other, "containerDefinitions": [["name": "api", "image": "nginx:9", "memory": 128]],
        ])
        let arn = try #require((out["taskDefinition"] as? [String: Any])?["taskDefinitionArn"] as? String)
        guard let refused = try await w.run(["rollback", "--yes", "--to", "\(other):1"]) else { return }
        #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("rollback of \(w.fixture.service) refused: --to \(other):1 is of family \(other)"))
        #expect(refused.stderr.contains("skipped: another family than \(w.fixture.family)"))
        #expect(refused.stderr.contains("--allow-family-change"))
        #expect(try w.fixture.runningRevision() == 3)
        guard let allowed = try await w.run(["rollback", "--yes", "--to", "\(other):1", "--allow-family-change"]) else { return }
        #expect(allowed.status == 0, "\(allowed.stdout)\n\(allowed.stderr)")
        #expect(allowed.stdout.contains("note: changes the task family from \(w.fixture.family) to \(other)"))
        let now = try ECSClient(settings: w.proxy.settings()).describeServices(cluster: w.fixture.cluster, services: [w.fixture.service])
        #expect(now.services.first?.taskDefinition.flatMap(TaskDefinitionRef.init) == TaskDefinitionRef(arn))
    }

    @Test("the same :latest image: exit 1, 'will not change code', nothing changed; --force goes ahead and says so")
    func sameLatestImage() async throws {
        let w = try Outcome.world(images: ["registry.example/api:latest", "registry.example/api:latest", "registry.example/api:latest"])
        guard let refused = try await w.run(["rollback", "--yes"]) else { return }
        #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("will not change code"))
        #expect(refused.stderr.contains("\(w.fixture.family):2") && refused.stderr.contains("chosen"))
        #expect(refused.stderr.contains("Pass --force"))
        #expect(w.proxy.updates == 0)
        guard let forced = try await w.run(["rollback", "--yes", "--force"]) else { return }
        #expect(forced.status == 0, "\(forced.stdout)\n\(forced.stderr)")
        #expect(forced.stdout.contains("note: \(w.fixture.family):2 runs the same images"))
        #expect(try w.fixture.runningRevision() == 2)
    }

    @Test("digest-pinned images: the plan shows both digests and the rollback runs")
    func digestPinned() async throws {
        let a = "registry.example/api@sha256:" + String(repeating: "a", count: 64)
        let b = "registry.example/api@sha256:" + String(repeating: "b", count: 64)
        let w = try Outcome.world(images: [a, b])
        guard let r = try await w.run(["rollback", "--yes"]) else { return }
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("\(w.fixture.family):2 -> \(w.fixture.family):1"))
        #expect(r.stdout.contains("image api: \(b) -> \(a) (pinned by digest)"))
        #expect(r.stdout.contains("is stable"))
    }
}
