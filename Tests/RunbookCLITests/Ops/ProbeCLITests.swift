import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Health and Prometheus probes against local HTTP servers: through the CLI")
struct ProbeCLITests {
    @Test("runbook probe health exits 0 for 200 and 1 for 503, a hang and a closed port")
    func healthCLI() async throws {
        let ok = try LocalHTTPServer { _ in LocalHTTPServer.Response(status: 200, body: "ok\n") }
        let bad = try LocalHTTPServer { _ in LocalHTTPServer.Response(status: 503, body: "down") }
        let hang = try LocalHTTPServer { _ in nil }
        let closed = try LoopbackPort.free()
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["health_url": ok.url.appendingPathComponent("health").absoluteString])
        let r = try #require(try await RunbookBinary.run(["probe", "health", "--env", "t", "--config", config], environment: [:]))
        #expect(r.status == 0)
        #expect(r.stdout.contains("healthy: \(ok.url.absoluteString)/health answered HTTP 200"))
        #expect(r.stdout.contains("body: ok\\n"))
        let b = try #require(try await RunbookBinary.run(["probe", "health", "--url", bad.url.absoluteString], environment: [:]))
        #expect(b.status == 1)
        #expect(b.stdout.contains("HTTP 503"))
        let h = try #require(try await RunbookBinary.run(["probe", "health", "--url", hang.url.absoluteString, "--timeout", "1", "--json"], environment: [:]))
        #expect(h.status == 1)
        let obj = try JSONSerialization.jsonObject(with: Data(h.stdout.utf8)) as? [String: Any]
        #expect(obj?["healthy"] as? Bool == false)
        #expect(((obj?["report"] as? [String: Any])?["failure"] as? [String: Any])?["kind"] as? String == "timedOut")
        let c = try #require(try await RunbookBinary.run(["probe", "health", "--url", "http://127.0.0.1:\(closed)/"], environment: [:]))
        #expect(c.status == 1)
        #expect(c.stdout.contains("UNREACHABLE"))
    }

    @Test("Prometheus: an API error shows Prometheus' own error text; the CLI exits 1")
    func apiError() async throws {
        let server = try FakeEndpoints.prometheus()
        #expect { try PrometheusClient(baseURL: server.url).query("rate(") } throws: { e in
            "\(e)" == #"Prometheus refused the query (HTTP 400, bad_data): invalid parameter "query": 1:5: parse error: unexpected <EOF>"#
        }
        let r = try #require(try await RunbookBinary.run(["probe", "prometheus", "--url", server.url.absoluteString, "--query", "rate("], environment: [:]))
        #expect(r.status == 1)
        #expect(r.stderr.contains("parse error: unexpected <EOF>"))
        let ok = try #require(try await RunbookBinary.run(["probe", "prometheus", "--url", server.url.absoluteString, "--query", "up"], environment: [:]))
        #expect(ok.status == 0)
        #expect(ok.stdout.contains(#"up{instance="api-2:9100",job="api"}  0"#))
        let closed = try LoopbackPort.free()
        let down = try #require(try await RunbookBinary.run(["probe", "prometheus", "--url", "http://127.0.0.1:\(closed)", "--query", "up"], environment: [:]))
        #expect(down.status == 1)
        #expect(down.stderr.contains("Prometheus unreachable: connection refused"))
    }
}
