import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("CloudWatch Logs tail against moto: through the CLI")
struct LogsTailCLITests {
    let logs: LogGroupFixture
    var moto: MotoServer { logs.moto }
    var group: String { logs.group }
    var now: Date { logs.now }
    var client: LogsClient { logs.client }

    init() throws { logs = try LogGroupFixture() }

    func put(_ stream: String, _ messages: [String], at: Date) throws { try logs.put(stream, messages, at: at) }

    @Test("runbook logs tail prints one line per event (time, stream, message); a missing group exits 1 naming it")
    func cli() async throws {
        try put("web/1", ["hello from the CLI", "second line"], at: now.addingTimeInterval(-60))
        let env = Canary.awsEnvironment(moto)
        let r = try #require(try await RunbookBinary.run(["logs", "tail", group, "--since", "5m", "--page-size", "1"], environment: env))
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix(" web/1 hello from the CLI") == true)
        Canary.expectAbsent(r)
        let j = try #require(try await RunbookBinary.run(["logs", "tail", group, "--since", "5m", "--json"], environment: env))
        #expect(j.stdout.split(separator: "\n").count == 2)
        #expect(j.stdout.contains(#""logStreamName":"web/1""#))
        let followed = try #require(try await RunbookBinary.run(["logs", "tail", group, "--since", "5m", "--follow", "--follow-timeout", "1.5",
                                                           "--poll-interval", "0.5"], environment: env))
        #expect(followed.status == 0)
        #expect(followed.stdout.split(separator: "\n").count == 2)
        #expect(followed.stderr.contains("stopped following \(group) after"))
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["log_group": group, "region": "ap-northeast-2", "aws_account": "123456789012"])
        let fromEnv = try #require(try await RunbookBinary.run(["logs", "tail", "--env", "t", "--config", config, "--filter-pattern", "second"],
                                                         environment: env))
        #expect(fromEnv.status == 0, "\(fromEnv.stderr)")
        #expect(fromEnv.stdout.hasSuffix(" web/1 second line\n"))
        var perService = env
        perService["AWS_ENDPOINT_URL"] = nil
        perService["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = moto.endpoint.absoluteString
        let viaServiceEndpoint = try #require(try await RunbookBinary.run(["logs", "tail", group, "--since", "5m"], environment: perService))
        #expect(viaServiceEndpoint.status == 0, "\(viaServiceEndpoint.stderr)")
        #expect(viaServiceEndpoint.stdout.split(separator: "\n").count == 2)
        for x in [followed, fromEnv, viaServiceEndpoint] { Canary.expectAbsent(x) }
        let missing = try #require(try await RunbookBinary.run(["logs", "tail", "/ecs/nope", "--since", "5m"], environment: env))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("log group /ecs/nope does not exist"))
        Canary.expectAbsent(missing)
    }
}
