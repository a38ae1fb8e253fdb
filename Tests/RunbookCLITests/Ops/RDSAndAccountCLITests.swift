import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("RDS status and the STS account binding against moto: through the CLI")
struct RDSAndAccountCLITests {
    let moto: MotoServer

    init() throws { moto = try OpsMoto.server() }

    var rds: RDSClient { RDSClient(settings: moto.settings()) }

    func createInstance(_ id: String) throws { try moto.createDBInstance(id) }

    @Test("runbook rds status: the environment's db_instance, --json, exit 1 for an unknown instance")
    func cli() async throws {
        let id = "pg-\(UUID().uuidString.prefix(8).lowercased())"
        try createInstance(id)
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["db_instance": id, "region": "ap-northeast-2", "aws_account": "123456789012"])
        let env = Canary.awsEnvironment(moto)
        let r = try #require(try await RunbookBinary.run(["rds", "status", "--env", "t", "--config", config], environment: env))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("status         available"))
        #expect(r.stdout.contains("class          db.t3.medium"))
        let j = try #require(try await RunbookBinary.run(["rds", "status", "--instance", id, "--json"], environment: env))
        let obj = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        #expect(obj?["serving"] as? Bool == true)
        #expect((obj?["instance"] as? [String: Any])?["multiAZ"] as? Bool == true)
        var perService = env
        perService["AWS_ENDPOINT_URL"] = nil
        perService["AWS_ENDPOINT_URL_RDS"] = moto.endpoint.absoluteString
        perService["AWS_ENDPOINT_URL_STS"] = moto.endpoint.absoluteString
        let viaServiceEndpoints = try #require(try await RunbookBinary.run(["rds", "status", "--env", "t", "--config", config], environment: perService))
        #expect(viaServiceEndpoints.status == 0, "\(viaServiceEndpoints.stderr)")
        let missing = try #require(try await RunbookBinary.run(["rds", "status", "--instance", "ghost-db"], environment: env))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("RDS instance ghost-db not found"))
        for x in [r, j, missing] { Canary.expectAbsent(x) }
    }

    @Test("the CLI refuses an environment bound to another account, naming both, before any other call")
    func cliMismatch() async throws {
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["log_group": "/ecs/x", "db_instance": "x", "aws_account": "210987654321"])
        for args in [["logs", "tail"], ["rds", "status"], ["s3", "cp", config, "s3://b/k"]] {
            let r = try #require(try await RunbookBinary.run(args + ["--env", "t", "--config", config], environment: Canary.awsEnvironment(moto)))
            #expect(r.status == 1)
            #expect(r.stderr.contains("210987654321") && r.stderr.contains("123456789012"), "\(r.stderr)")
            #expect(r.stderr.contains("AWS account mismatch"))
            Canary.expectAbsent(r)
        }
    }
}
