import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("runbook ecs through the CLI against moto")
struct ECSCommandTests {
    /// A project folder with a runbook.toml whose staging environment names the fixture's service.
    func project(_ f: ECSFixture) throws -> (dir: String, env: [String: String], home: TempHome) {
        let p = try ECSProject(f)
        return (p.dir, p.env, p.home)
    }

    @Test("status --env staging reads cluster, service and region from runbook.toml")
    func status() async throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        guard let r = try await RunbookBinary.run(["ecs", "status", "--env", "staging"], environment: env, directory: dir) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(f.service) in \(f.cluster): ACTIVE, desired 2, running 2"))
        guard let j = try await RunbookBinary.run(["ecs", "status", "--env", "staging", "--json"], environment: env, directory: dir) else { return }
        let json = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        #expect(json?["cluster"] as? String == f.cluster)
    }

    @Test("rollback without --yes and without a terminal refuses with exit 2 and changes nothing")
    func rollbackRefusesWithoutYes() async throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        guard let r = try await RunbookBinary.run(["ecs", "rollback", "--env", "staging"], environment: env, directory: dir) else { return }
        #expect(r.status == 2)
        #expect(r.stderr.contains("no terminal to ask; nothing was run"), "\(r.stderr)")
        #expect(try f.runningRevision() == 3)
    }

    @Test("rollback --env staging --yes goes to the previous revision, waits and verifies")
    func rollbackYes() async throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        guard let r = try await RunbookBinary.run(["ecs", "rollback", "--env", "staging", "--yes", "--delay", "0.2", "--timeout", "10"],
                                            environment: env, directory: dir) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(f.family):3 -> \(f.family):2"))
        #expect(try f.runningRevision() == 2)
    }

    @Test("an unknown environment names the ones there are")
    func unknownEnvironment() async throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        guard let r = try await RunbookBinary.run(["ecs", "status", "--env", "prod"], environment: env, directory: dir) else { return }
        #expect(r.status == 2)
        #expect(r.stderr.contains("no environment 'prod'"))
    }
}

/// The side doors to production pass the one gate: account, confirmation, lock, audit.
@Suite("runbook ecs redeploy|rollback|status|wait through the one gate")
struct ECSGateTests {
    func project(_ f: ECSFixture, account: String? = nil, protected: Bool = false) throws -> (dir: String, env: [String: String], home: TempHome) {
        let p = try ECSProject(f, account: account, protected: protected)
        return (p.dir, p.env, p.home)
    }

    @Test("credentials of another account: redeploy, rollback, status and wait are refused naming both accounts; nothing changes")
    func wrongAccountIsRefusedByEveryDoor() async throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f, account: "210987654321")
        defer { withExtendedLifetime(home) {} }
        for args in [["ecs", "redeploy", "--yes"], ["ecs", "rollback", "--yes"], ["ecs", "status"], ["ecs", "wait", "--timeout", "5"]] {
            let r = try #require(try await RunbookBinary.run(args + ["--env", "staging"], environment: env, directory: dir))
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.contains("210987654321") && r.stderr.contains("123456789012"), "\(args): \(r.stderr)")
        }
        #expect(try f.runningRevision() == 3, "no door changed the service")
        let records = try f.records.records(region: "ap-northeast-2", cluster: f.cluster, service: f.service)
        #expect(records.isEmpty)
    }

    @Test("ecs rollback --yes is a one-step run with a run id; its audit record has the task definitions before and after, and the log verifies")
    func rollbackIsAnAuditedRun() async throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        let r = try #require(try await RunbookBinary.run(["ecs", "rollback", "--env", "staging", "--yes", "--delay", "0.2", "--timeout", "10"],
                                                   environment: env, directory: dir))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try f.runningRevision() == 2)
        let log = home.path + "/audit.jsonl"
        let verify = try #require(try await RunbookBinary.run(["audit", "verify", "--log", log], environment: env, directory: dir))
        #expect(verify.status == 0, "\(verify.stderr)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("\"event\":\"run-start\"") && text.contains("\"event\":\"run-end\""))
        #expect(text.contains("\"doc\":\"runbook ecs rollback\""))
        #expect(text.contains("\"before\":{") && text.contains("\(f.family):3") && text.contains("\(f.family):2"))
        // A second door at the same time would wait for the lock: the lock is the exec runner's.
        let dry = try #require(try await RunbookBinary.run(["ecs", "redeploy", "--env", "staging", "--dry-run"], environment: env, directory: dir))
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("ecs.update-service.force-new-deployment"))
        #expect(dry.stdout.contains("one run at a time for env staging"))
    }

    @Test("a protected environment without a terminal and without --yes: refused before anything is sent, and recorded")
    func protectedEnvironmentRefusesWithoutTerminal() async throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f, protected: true)
        defer { withExtendedLifetime(home) {} }
        let r = try #require(try await RunbookBinary.run(["ecs", "redeploy", "--env", "staging"], environment: env, directory: dir))
        #expect(r.status == 2)
        #expect(r.stderr.contains("runbook ecs redeploy --env staging --dry-run"))
        let text = try String(contentsOfFile: home.path + "/audit.jsonl", encoding: .utf8)
        #expect(text.contains("\"event\":\"refused\""))
        #expect(try f.runningRevision() == 3)
    }
}
