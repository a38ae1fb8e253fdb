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

    @Test("health: a gopher://, dict:// or file:// URL is refused and nothing is sent")
    func otherSchemesAreRefused() throws {
        for text in ["gopher://127.0.0.1:6379/_SET%20x%201", "dict://127.0.0.1:6379/info", "file:///etc/passwd", "http:///nohost"] {
            let url = try #require(URL(string: text))
            let transport = FakeTransport()
            let report = HealthProbe(transport: transport).check(url)
            #expect(report.failure?.kind == "refusedScheme", "\(text)")
            #expect(transport.requests.isEmpty, "\(text): nothing was sent")
        }
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

    @Test("Prometheus: a vector is a table of series and values")
    func vector() throws {
        let server = try FakeEndpoints.prometheus()
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
        let server = try FakeEndpoints.prometheus()
        let result = try PrometheusClient(baseURL: server.url).query("scalar(0.25)")
        #expect(result.resultType == "scalar")
        #expect(result.table == "RESULT  VALUE\nscalar  0.25")
        #expect(server.requests.first?.target == "/api/v1/query?query=scalar%280.25%29")
    }
}
