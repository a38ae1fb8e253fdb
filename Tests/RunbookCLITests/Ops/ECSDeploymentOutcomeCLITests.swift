import Foundation
import OpsActions
import Testing
import TestSupport

/// `runbook ecs redeploy|rollback|wait` when the deployment fails, through the binary, against
/// moto behind the ECS-shaped deployment proxy: exit 1 and the reason from the service events.
@Suite("runbook ecs: failed deployments through the CLI")
struct ECSDeploymentOutcomeCLITests {
    struct World {
        var fixture: ECSFixture
        var proxy: ECSDeploymentProxy
        var home: TempHome
        var dir: String
        var env: [String: String]

        func run(_ arguments: [String]) async throws -> RunbookBinary.Result? {
            try await RunbookBinary.run(["ecs"] + arguments + ["--env", "staging", "--delay", "0.05", "--timeout", "10"],
                                  environment: env, directory: dir)
        }
    }

    /// The fixture's service in a staging environment whose AWS endpoint is the proxy.
    static func world(images: [String]? = nil) throws -> World {
        let f = try ECSFixture(moto: SharedMoto.server(), images: images)
        let proxy = try ECSDeploymentProxy(moto: f.moto)
        let project = try ECSProject(f, endpoint: proxy.endpoint)
        let (home, dir, env) = (project.home, project.dir, project.env)
        return World(fixture: f, proxy: proxy, home: home, dir: dir, env: env)
    }

    /// A change made outside runbook (as `aws ecs update-service` would), through the proxy; the deployment it started.
    static func changeByHand(_ w: World, taskDefinition: String? = nil) throws -> String? {
        let ecs = ECSClient(settings: w.proxy.settings(), timeout: 10)
        let s = try ecs.updateService(cluster: w.fixture.cluster, service: w.fixture.service, taskDefinition: taskDefinition,
                                      forceNewDeployment: taskDefinition == nil)
        return s?.primaryDeployment?.id
    }

    @Test("redeploy rolled back by the circuit breaker: exit 1, the events say why, never 'and stable'")
    func redeployRolledBack() async throws {
        let w = try Self.world()
        try w.proxy.arm(.circuitBreakerRollback, service: w.fixture.service, cluster: w.fixture.cluster)
        guard let r = try await w.run(["redeploy", "--yes"]) else { return }
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(!r.stdout.contains("and stable"))
        #expect(r.stderr.contains("deployment \(w.proxy.ids.new) (\(w.fixture.family):3) FAILED"))
        #expect(r.stderr.contains("ECS rolled the service back"))
        #expect(r.stderr.contains("deployment failed: tasks failed to start."))
        #expect(r.stderr.contains("rolling back to deployment \(w.proxy.ids.rollback)"))
    }

    @Test("rollback whose new deployment FAILED: exit 1 with the reason from the events")
    func rollbackFailed() async throws {
        let w = try Self.world()
        try w.proxy.arm(.failedRollout, service: w.fixture.service, cluster: w.fixture.cluster)
        guard let r = try await w.run(["rollback", "--yes"]) else { return }
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(!r.stdout.contains("is stable"))
        #expect(r.stderr.contains("FAILED: ECS deployment circuit breaker: tasks failed to start"))
        #expect(r.stderr.contains("CannotPullContainerError"))
    }

    @Test("wait --deployment on a deployment the circuit breaker rolled back: exit 1 with the events")
    func waitRolledBack() async throws {
        let w = try Self.world()
        try w.proxy.arm(.circuitBreakerRollback, service: w.fixture.service, cluster: w.fixture.cluster)
        let id = try #require(try Self.changeByHand(w))
        #expect(id == w.proxy.ids.new)
        guard let r = try await w.run(["wait", "--deployment", id]) else { return }
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("rolling back to deployment"))
        #expect(!r.stdout.contains("is stable"))
    }

    @Test("wait --task-definition after the circuit breaker settled on the old revision: exit 1, both revisions named")
    func waitSettledElsewhere() async throws {
        let w = try Self.world()
        try w.proxy.arm(.circuitBreakerRollback, service: w.fixture.service, cluster: w.fixture.cluster)
        _ = try Self.changeByHand(w, taskDefinition: w.fixture.revisions[1])
        // ECS has rolled back to revision 3 and the failed deployment is gone before anyone waits.
        for _ in 0..<3 { _ = try ECSClient(settings: w.proxy.settings()).describeServices(cluster: w.fixture.cluster, services: [w.fixture.service]) }
        guard let r = try await w.run(["wait", "--task-definition", "\(w.fixture.family):2"]) else { return }
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("completed on \(w.fixture.family):3, not on \(w.fixture.family):2"))
        #expect(r.stderr.contains("rolling back to deployment \(w.proxy.ids.rollback)"))
    }

    @Test("wait without flags once ECS's rollback has completed and the failed deployment is gone: exit 1, not 'stable'")
    func waitAfterRollbackCompleted() async throws {
        let w = try Self.world()
        try w.proxy.arm(.circuitBreakerRollback, service: w.fixture.service, cluster: w.fixture.cluster)
        _ = try Self.changeByHand(w)
        for _ in 0..<3 { _ = try ECSClient(settings: w.proxy.settings()).describeServices(cluster: w.fixture.cluster, services: [w.fixture.service]) }
        guard let r = try await w.run(["wait"]) else { return }
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("it is ECS's rollback after a failed deployment"))
        #expect(r.stderr.contains("deployment failed: tasks failed to start."))
    }

    @Test("wait on a rollout that never finishes: exit 1 after --timeout, with the last state and events")
    func waitNeverFinishes() async throws {
        let w = try Self.world()
        try w.proxy.arm(.neverFinishes, service: w.fixture.service, cluster: w.fixture.cluster)
        _ = try Self.changeByHand(w)
        guard let r = try await RunbookBinary.run(["ecs", "wait", "--env", "staging", "--delay", "0.05", "--timeout", "0.5"],
                                            environment: w.env, directory: w.dir) else { return }
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("not stable after"))
        #expect(r.stderr.contains("unable to place a task"))
    }

    @Test("wait --deployment when someone else's deployment is PRIMARY: exit 1, naming it; redeploy refuses")
    func foreignDeployment() async throws {
        let w = try Self.world()
        let before = try w.fixture.actions().describe().primaryDeployment?.id
        try w.proxy.arm(.foreignDeploymentInProgress, service: w.fixture.service, cluster: w.fixture.cluster)
        guard let r = try await w.run(["wait", "--deployment", try #require(before)]) else { return }
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("another change replaced it"))
        #expect(r.stderr.contains(w.proxy.ids.foreign))
        guard let redeploy = try await w.run(["redeploy", "--yes"]) else { return }
        #expect(redeploy.status == 1)
        #expect(redeploy.stderr.contains("already has a deployment in progress"))
        #expect(w.proxy.updates == 0)
    }

    @Test("wait --task-definition that is not FAMILY:REVISION is a usage error (exit 2)")
    func badTaskDefinition() async throws {
        let w = try Self.world()
        guard let r = try await w.run(["wait", "--task-definition", "family-only"]) else { return }
        #expect(r.status == 2)
        #expect(r.stderr.contains("--task-definition family-only is not FAMILY:REVISION"))
    }
}
