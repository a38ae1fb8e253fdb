import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Slack webhook notices against a local webhook server")
struct SlackNotifierTests {
    static func webhook(status: Int = 200) throws -> LocalHTTPServer {
        try LocalHTTPServer { _ in LocalHTTPServer.Response(status: status, body: status == 200 ? "ok" : "internal_error") }
    }

    static func url(_ server: LocalHTTPServer) -> URL {
        server.url.appendingPathComponent("services/T0000/B0000/\(Canary.webhookToken)")
    }

    @Test("run started, step failed and run finished post the exact JSON, the last with the audit chain head")
    func notices() throws {
        let server = try Self.webhook()
        let notifier = SlackNotifier(webhookURL: Self.url(server))
        let run = SlackNotifier.Run(id: "r-42", target: "incident-response#api-down", environment: "staging", operatorName: "kim@ops-1")
        #expect(notifier.runStarted(run, steps: 3) == .delivered)
        #expect(notifier.stepFailed(run, step: "health-after", reason: "exit 22") == .delivered)
        #expect(notifier.runFinished(run, outcome: .failed, durationSeconds: 95, chainHead: "sha256:ab12") == .delivered)
        let bodies = server.requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies == [
            #"{"text":":arrow_forward: runbook `incident-response#api-down` started on *staging* by kim@ops-1 (3 steps, run r-42)"}"#,
            #"{"text":":x: runbook `incident-response#api-down` on *staging*: step `health-after` failed: exit 22 (run r-42)"}"#,
            #"{"audit_chain_head":"sha256:ab12","run_id":"r-42","text":":x: runbook `incident-response#api-down` on *staging* failed in 1m 35s (run r-42, audit chain head sha256:ab12)"}"#,
        ])
        #expect(server.requests.allSatisfy { $0.method == "POST" && $0.headers["content-type"]?.hasPrefix("application/json") == true })
        #expect(server.requests.first?.target == "/services/T0000/B0000/\(Canary.webhookToken)")
    }

    @Test("a 500 or an unreachable webhook is a failed delivery that never names the URL")
    func failures() throws {
        let server = try Self.webhook(status: 500)
        let failed = SlackNotifier(webhookURL: Self.url(server)).post(text: "hi")
        guard case .failed(let why) = failed else {
            Issue.record("a 500 was reported as delivered")
            return
        }
        #expect(why.contains("HTTP 500"))
        #expect(!why.contains(Canary.webhookToken))
        let closed = try LoopbackPort.free()
        let url = try #require(URL(string: "http://127.0.0.1:\(closed)/services/\(Canary.webhookToken)"))
        guard case .failed(let down) = SlackNotifier(webhookURL: url, timeout: 2).post(text: "hi") else {
            Issue.record("a closed port was reported as delivered")
            return
        }
        #expect(down.contains("could not be reached"))
        #expect(!down.contains(Canary.webhookToken))
    }

    @Test("runbook notify slack posts the text; a 500 is a warning and exit 0; the URL never shows")
    func cli() throws {
        let good = try Self.webhook(), bad = try Self.webhook(status: 500)
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["slack_webhook_env": "RUNBOOK_SLACK_WEBHOOK"])
        let ok = try #require(try RunbookBinary.run(["notify", "slack", "--env", "t", "--config", config, "--text", "배포 시작 \"v1\""],
                                                    environment: ["RUNBOOK_SLACK_WEBHOOK": Self.url(good).absoluteString]))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(good.requests.map { String(decoding: $0.body, as: UTF8.self) } == [#"{"text":"배포 시작 \"v1\""}"#])
        let warn = try #require(try RunbookBinary.run(["notify", "slack", "--env", "t", "--config", config, "--text", "x"],
                                                      environment: ["RUNBOOK_SLACK_WEBHOOK": Self.url(bad).absoluteString]))
        #expect(warn.status == 0)
        #expect(warn.stderr.contains("runbook: warning: Slack notice not delivered: the Slack webhook answered HTTP 500"))
        let strict = try #require(try RunbookBinary.run(["notify", "slack", "--webhook-env", "HOOK", "--text", "x", "--strict"],
                                                        environment: ["HOOK": Self.url(bad).absoluteString]))
        #expect(strict.status == 1)
        let unset = try #require(try RunbookBinary.run(["notify", "slack", "--webhook-env", "HOOK", "--text", "x"], environment: [:]))
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("environment variable HOOK is not set"))
        for r in [ok, warn, strict, unset] { Canary.expectAbsent(r, [Canary.webhookToken, "/services/T0000"]) }
    }
}
