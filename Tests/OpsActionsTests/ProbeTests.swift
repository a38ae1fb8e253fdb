import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Health and Prometheus probes against local HTTP servers")
struct ProbeTests {
    @Test("health: 200 is healthy with status, latency and the first bytes of the body")
    func healthy() throws {
        let server = try LocalHTTPServer { _ in .json(200, #"{"status":"ok","db":"up","version":"1.4.2"}"#) }
        let report = HealthProbe(timeout: 2, excerptBytes: 15).check(server.url.appendingPathComponent("health"))
        #expect(report.isHealthy)
        #expect(report.status == 200)
        #expect(report.bodyExcerpt == #"{"status":"ok","#)
        #expect(report.bodyBytes == 43)
        #expect(report.latencySeconds > 0)
        #expect(report.verdict.hasPrefix("healthy: \(server.url.absoluteString)/health answered HTTP 200 in "))
        #expect(server.requests.first?.target == "/health")
    }

    @Test("health: a 503 is reported as unhealthy with the status")
    func serverError() throws {
        let server = try LocalHTTPServer { _ in LocalHTTPServer.Response(status: 503, body: "upstream down") }
        let report = HealthProbe(timeout: 2).check(server.url)
        #expect(!report.isHealthy)
        #expect(report.status == 503)
        #expect(report.bodyExcerpt == "upstream down")
        #expect(report.verdict.contains("UNHEALTHY"))
        #expect(report.verdict.contains("HTTP 503 Service Unavailable (server error)"))
    }

    @Test("health: a server that never answers is reported as hanging after the timeout")
    func hang() throws {
        let server = try LocalHTTPServer { _ in nil }
        let report = HealthProbe(timeout: 1).check(server.url)
        #expect(!report.isHealthy)
        #expect(report.status == nil)
        #expect(report.failure?.kind == "timedOut")
        #expect(report.verdict.contains("hung"))
        #expect(report.verdict.contains("did not answer within 1s"))
    }

    @Test("health: a closed port is reported as unreachable, connection refused")
    func closedPort() throws {
        let port = try LoopbackPort.free()
        let report = HealthProbe(timeout: 2).check(try #require(URL(string: "http://127.0.0.1:\(port)/health")))
        #expect(!report.isHealthy)
        #expect(report.failure?.kind == "connectionRefused")
        #expect(report.verdict.hasPrefix("UNREACHABLE: "))
        #expect(report.verdict.contains("connection refused by 127.0.0.1:\(port)"))
    }

    @Test("runbook probe health exits 0 for 200 and 1 for 503, a hang and a closed port")
    func healthCLI() throws {
        let ok = try LocalHTTPServer { _ in LocalHTTPServer.Response(status: 200, body: "ok\n") }
        let bad = try LocalHTTPServer { _ in LocalHTTPServer.Response(status: 503, body: "down") }
        let hang = try LocalHTTPServer { _ in nil }
        let closed = try LoopbackPort.free()
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["health_url": ok.url.appendingPathComponent("health").absoluteString])
        let r = try #require(try RunbookBinary.run(["probe", "health", "--env", "t", "--config", config], environment: [:]))
        #expect(r.status == 0)
        #expect(r.stdout.contains("healthy: \(ok.url.absoluteString)/health answered HTTP 200"))
        #expect(r.stdout.contains("body: ok\\n"))
        let b = try #require(try RunbookBinary.run(["probe", "health", "--url", bad.url.absoluteString], environment: [:]))
        #expect(b.status == 1)
        #expect(b.stdout.contains("HTTP 503"))
        let h = try #require(try RunbookBinary.run(["probe", "health", "--url", hang.url.absoluteString, "--timeout", "1", "--json"], environment: [:]))
        #expect(h.status == 1)
        let obj = try JSONSerialization.jsonObject(with: Data(h.stdout.utf8)) as? [String: Any]
        #expect(obj?["healthy"] as? Bool == false)
        #expect(((obj?["report"] as? [String: Any])?["failure"] as? [String: Any])?["kind"] as? String == "timedOut")
        let c = try #require(try RunbookBinary.run(["probe", "health", "--url", "http://127.0.0.1:\(closed)/"], environment: [:]))
        #expect(c.status == 1)
        #expect(c.stdout.contains("UNREACHABLE"))
    }

    static let vector = #"""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","instance":"api-1:9100","job":"api"},"value":[1764221000.5,"1"]},
          {"metric":{"__name__":"up","instance":"api-2:9100","job":"api"},"value":[1764221000.5,"0"]}]}}
        """#
    static let scalar = #"{"status":"success","data":{"resultType":"scalar","result":[1764221000,"0.25"]}}"#
    static let error = #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected <EOF>"}"#

    static func prometheus() throws -> LocalHTTPServer {
        try LocalHTTPServer { req in
            guard req.target.hasPrefix("/api/v1/query?") else { return .json(404, "{}") }
            switch req.query("query") {
            case "up": return .json(200, vector)
            case "scalar(0.25)": return .json(200, scalar)
            default: return .json(400, error)
            }
        }
    }

    @Test("Prometheus: a vector is a table of series and values")
    func vector() throws {
        let server = try Self.prometheus()
        let result = try PrometheusClient(baseURL: server.url).query("up")
        #expect(result.resultType == "vector")
        #expect(result.rows.map(\.value) == ["1", "0"])
        #expect(result.table == """
            SERIES                               VALUE
            up{instance="api-1:9100",job="api"}  1
            up{instance="api-2:9100",job="api"}  0
            """)
    }

    @Test("Prometheus: a scalar is one row; the query is sent URL-encoded")
    func scalar() throws {
        let server = try Self.prometheus()
        let result = try PrometheusClient(baseURL: server.url).query("scalar(0.25)")
        #expect(result.resultType == "scalar")
        #expect(result.table == "RESULT  VALUE\nscalar  0.25")
        #expect(server.requests.first?.target == "/api/v1/query?query=scalar%280.25%29")
    }

    @Test("Prometheus: an API error shows Prometheus' own error text; the CLI exits 1")
    func apiError() throws {
        let server = try Self.prometheus()
        #expect { try PrometheusClient(baseURL: server.url).query("rate(") } throws: { e in
            "\(e)" == #"Prometheus refused the query (HTTP 400, bad_data): invalid parameter "query": 1:5: parse error: unexpected <EOF>"#
        }
        let r = try #require(try RunbookBinary.run(["probe", "prometheus", "--url", server.url.absoluteString, "--query", "rate("], environment: [:]))
        #expect(r.status == 1)
        #expect(r.stderr.contains("parse error: unexpected <EOF>"))
        let ok = try #require(try RunbookBinary.run(["probe", "prometheus", "--url", server.url.absoluteString, "--query", "up"], environment: [:]))
        #expect(ok.status == 0)
        #expect(ok.stdout.contains(#"up{instance="api-2:9100",job="api"}  0"#))
        let closed = try LoopbackPort.free()
        let down = try #require(try RunbookBinary.run(["probe", "prometheus", "--url", "http://127.0.0.1:\(closed)", "--query", "up"], environment: [:]))
        #expect(down.status == 1)
        #expect(down.stderr.contains("Prometheus unreachable: connection refused"))
    }
}
