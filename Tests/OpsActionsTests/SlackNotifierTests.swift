import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Slack webhook notices against a local webhook server")
struct SlackNotifierTests {
    @Test("run started, step failed and run finished post the exact JSON, the last with the audit chain head")
    func notices() throws {
        let server = try FakeEndpoints.slackWebhook()
        let notifier = SlackNotifier(webhookURL: FakeEndpoints.slackURL(server))
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
        let server = try FakeEndpoints.slackWebhook(status: 500)
        let failed = SlackNotifier(webhookURL: FakeEndpoints.slackURL(server)).post(text: "hi")
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
}
