import Foundation
import OpsActions
import Testing
import TestSupport

/// Records the waits instead of sleeping.
final class RecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    var recorded: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return waits
    }

    func sleep(seconds: Double) {
        lock.lock()
        waits.append(seconds)
        lock.unlock()
    }
}

@Suite("AWS calls: retries and errors (fake transport)")
struct RetryPolicyTests {
    static let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "fake-secret"),
                                      region: "ap-northeast-2", globalEndpoint: URL(string: "http://127.0.0.1:1"))
    static let throttle = FakeTransport.json(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
    /// A well-formed answer: each service asked for is described or, as here, a failure.
    static let services = FakeTransport.json(200, #"{"services":[],"failures":[{"arn":"arn:aws:ecs:ap-northeast-2:123456789012:service/c/s","reason":"MISSING"}]}"#)

    func client(_ transport: FakeTransport, sleeper: RecordingSleeper, attempts: Int = 3) -> ECSClient {
        ECSClient(AWSClient(service: .ecs, settings: Self.settings, transport: transport,
                            retry: RetryPolicy(maxAttempts: attempts, sleeper: sleeper, random: { 0.5 })))
    }

    @Test("two throttles then success: the call succeeds on the third attempt")
    func throttledTwice() throws {
        let fake = FakeTransport([Self.throttle, Self.throttle, Self.services])
        let sleeper = RecordingSleeper()
        let reply = try client(fake, sleeper: sleeper).describeServices(cluster: "c", services: ["s"])
        #expect(reply.services.isEmpty)
        #expect(fake.requests.count == 3)
        #expect(sleeper.recorded == [0.1, 0.2])  // 0.2 * 2^n, times the fixed jitter 0.5
    }

    @Test("five throttles: the error names service, operation, code and message")
    func throttledFiveTimes() throws {
        let fake = FakeTransport([Self.throttle, Self.throttle, Self.throttle, Self.throttle, Self.throttle])
        let sleeper = RecordingSleeper()
        #expect { try client(fake, sleeper: sleeper).describeServices(cluster: "c", services: ["s"]) } throws: { e in
            let text = "\(e)"
            return text.contains("ECS DescribeServices failed after 3 attempts") && text.contains("ThrottlingException")
                && text.contains("Rate exceeded") && text.contains("request id fake-request-id")
        }
        #expect(fake.requests.count == 3)
    }

    @Test("a 400 that is not throttling is not retried")
    func clientErrorNotRetried() throws {
        let fake = FakeTransport([FakeTransport.json(400, #"{"__type":"com.amazonaws.ecs#ClusterNotFoundException","message":"Cluster not found."}"#)])
        let sleeper = RecordingSleeper()
        #expect { try client(fake, sleeper: sleeper).describeServices(cluster: "c", services: ["s"]) } throws: { e in
            (e as? AWSError)?.code == "ClusterNotFoundException" && "\(e)".contains("Cluster not found.")
        }
        #expect(fake.requests.count == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    @Test("5xx and refused connections are retried")
    func serverAndConnectionErrors() throws {
        let refused = Result<HTTPResponse, HTTPTransportError>.failure(HTTPTransportError(kind: .connectionRefused, endpoint: "127.0.0.1:1", detail: "refused"))
        let fake = FakeTransport([refused, FakeTransport.json(503, "{}"), Self.services])
        _ = try client(fake, sleeper: RecordingSleeper()).describeServices(cluster: "c", services: ["s"])
        #expect(fake.requests.count == 3)
    }

    @Test("requests are awsJson1_1 with the ECS target and a SigV4 Authorization")
    func requestShape() throws {
        let fake = FakeTransport([Self.services])
        _ = try client(fake, sleeper: RecordingSleeper()).describeServices(cluster: "mindhit-cluster", services: ["mindhit-api"])
        let r = try #require(fake.requests.first)
        #expect(r.method == "POST")
        #expect(r.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.DescribeServices")
        #expect(r.header("Content-Type") == "application/x-amz-json-1.1")
        let auth = try #require(r.header("Authorization"))
        #expect(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
        #expect(auth.contains("/ap-northeast-2/ecs/aws4_request"))
        #expect(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target"))
        if case .bytes(let body) = r.body {
            let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            #expect(json?["cluster"] as? String == "mindhit-cluster")
        } else {
            Issue.record("body is not bytes")
        }
    }
}
