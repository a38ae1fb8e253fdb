import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("runbook ecs through the CLI against moto")
struct ECSCommandTests {
    /// A project folder with a runbook.toml whose staging environment names the fixture's service.
    func project(_ f: ECSFixture) throws -> (dir: String, env: [String: String], home: TempHome) {
        let home = try TempHome()
        let dir = home.path + "/project"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
            [env.staging]
            region = "ap-northeast-2"
            cluster = "\(f.cluster)"
            service = "\(f.service)"
            """.write(toFile: dir + "/runbook.toml", atomically: true, encoding: .utf8)
        let env = ["HOME": home.path, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "moto-fake-secret",
                   "AWS_ENDPOINT_URL": f.moto.endpoint.absoluteString, "RUNBOOK_STATE_DIR": f.stateDir]
        return (dir, env, home)
    }

    @Test("status --env staging reads cluster, service and region from runbook.toml")
    func status() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        guard let r = try RunbookBinary.run(["ecs", "status", "--env", "staging"], environment: env, directory: dir) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(f.service) in \(f.cluster): ACTIVE, desired 2, running 2"))
        guard let j = try RunbookBinary.run(["ecs", "status", "--env", "staging", "--json"], environment: env, directory: dir) else { return }
        let json = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        #expect(json?["cluster"] as? String == f.cluster)
    }

    @Test("rollback without --yes and without a terminal refuses with exit 2 and changes nothing")
    func rollbackRefusesWithoutYes() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        guard let r = try RunbookBinary.run(["ecs", "rollback", "--env", "staging"], environment: env, directory: dir) else { return }
        #expect(r.status == 2)
        #expect(r.stderr.contains("without --yes"))
        #expect(try f.runningRevision() == 3)
    }

    @Test("rollback --env staging --yes goes to the previous revision, waits and verifies")
    func rollbackYes() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        guard let r = try RunbookBinary.run(["ecs", "rollback", "--env", "staging", "--yes", "--delay", "0.2", "--timeout", "10"],
                                            environment: env, directory: dir) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(f.family):3 -> \(f.family):2"))
        #expect(try f.runningRevision() == 2)
    }

    @Test("an unknown environment names the ones there are")
    func unknownEnvironment() throws {
        let f = try ECSFixture(moto: SharedMoto.server())
        let (dir, env, home) = try project(f)
        defer { withExtendedLifetime(home) {} }
        guard let r = try RunbookBinary.run(["ecs", "status", "--env", "prod"], environment: env, directory: dir) else { return }
        #expect(r.status == 2)
        #expect(r.stderr.contains("no environment 'prod'"))
    }
}
