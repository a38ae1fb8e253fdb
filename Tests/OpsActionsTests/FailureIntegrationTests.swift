import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("One clear error for no credentials, a closed port and a hanging endpoint")
struct FailureIntegrationTests {
    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: 0.05)

    func ecs(_ endpoint: URL, timeout: Double = 2) -> ECSClient {
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "fake"),
                                   region: "ap-northeast-2", globalEndpoint: endpoint)
        return ECSClient(AWSClient(service: .ecs, settings: settings, transport: CurlTransport(), retry: Self.fastRetry,
                                   connectTimeout: timeout, timeout: timeout))
    }

    @Test("closed port: connection refused, naming host:port, after the bounded retries")
    func closedPort() throws {
        let port = try LoopbackPort.free()
        let endpoint = try #require(URL(string: "http://127.0.0.1:\(port)"))
        #expect { try ecs(endpoint).describeServices(cluster: "c", services: ["s"]) } throws: { e in
            "\(e)" == "ECS DescribeServices failed after 3 attempts: connection refused by 127.0.0.1:\(port): nothing is listening there; check the endpoint URL and that the service is up"
        }
    }

    @Test("hanging endpoint: a timeout error naming host:port and the timeout, not retried")
    func hangingEndpoint() throws {
        let hang = try HangingServer()
        #expect { try ecs(hang.endpoint, timeout: 1).describeServices(cluster: "c", services: ["s"]) } throws: { e in
            let text = "\(e)"
            return text.hasPrefix("ECS DescribeServices failed: 127.0.0.1:\(hang.port) did not answer within 1s")
        }
    }
}
