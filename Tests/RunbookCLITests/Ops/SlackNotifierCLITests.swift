import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Slack webhook notices against a local webhook server: through the CLI")
struct SlackNotifierCLITests {
    @Test("runbook notify slack posts the text; a 500 is a warning and exit 0; the URL never shows")
    func cli() async throws {
        let good = try FakeEndpoints.slackWebhook(), bad = try FakeEndpoints.slackWebhook(status: 500)
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["slack_webhook_env": "RUNBOOK_SLACK_WEBHOOK"])
        let ok = try #require(try await RunbookBinary.run(["notify", "slack", "--env", "t", "--config", config, "--text", "배포 시작 \"v1\""],
                                                    environment: ["RUNBOOK_SLACK_WEBHOOK": FakeEndpoints.slackURL(good).absoluteString]))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(good.requests.map { String(decoding: $0.body, as: UTF8.self) } == [#"{"text":"배포 시작 \"v1\""}"#])
        let warn = try #require(try await RunbookBinary.run(["notify", "slack", "--env", "t", "--config", config, "--text", "x"],
                                                      environment: ["RUNBOOK_SLACK_WEBHOOK": FakeEndpoints.slackURL(bad).absoluteString]))
        #expect(warn.status == 0)
        #expect(warn.stderr.contains("runbook: warning: Slack notice not delivered: the Slack webhook answered HTTP 500"))
        let strict = try #require(try await RunbookBinary.run(["notify", "slack", "--webhook-env", "HOOK", "--text", "x", "--strict"],
                                                        environment: ["HOOK": FakeEndpoints.slackURL(bad).absoluteString]))
        #expect(strict.status == 1)
        let unset = try #require(try await RunbookBinary.run(["notify", "slack", "--webhook-env", "HOOK", "--text", "x"], environment: [:]))
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("environment variable HOOK is not set"))
        for r in [ok, warn, strict, unset] { Canary.expectAbsent(r, [Canary.webhookToken, "/services/T0000"]) }
    }
}
