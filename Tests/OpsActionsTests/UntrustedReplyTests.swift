import Foundation
import OpsActions
import Testing
import TestSupport

/// Replies from a fault server, through the real transport: ECS and CloudWatch Logs (JSON) and
/// STS (XML). Each fault ends in one error naming the service and operation, within its timeout.
@Suite("Untrusted replies: size limit, empty, truncated, hanging (ECS, STS, Logs)")
struct UntrustedReplyTests {
    static func settings(_ server: URL, maxReplyBytes: UInt64 = AWSReplyLimit.defaultBytes) -> AWSSettings {
        AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "fake"), region: "ap-northeast-2",
                    globalEndpoint: server, maxReplyBytes: maxReplyBytes)
    }

    static func aws(_ service: AWSService, _ server: URL, maxReplyBytes: UInt64 = AWSReplyLimit.defaultBytes,
                    timeout: Double = 2) -> AWSClient {
        AWSClient(service: service, settings: settings(server, maxReplyBytes: maxReplyBytes), transport: CurlTransport(),
                  retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.01), connectTimeout: timeout, timeout: timeout)
    }

    /// The three calls, each with its service and operation as errors name them.
    static func calls(_ server: URL, maxReplyBytes: UInt64 = AWSReplyLimit.defaultBytes,
                      timeout: Double = 2) -> [(name: String, call: () throws -> Void)] {
        func client(_ service: AWSService) -> AWSClient { aws(service, server, maxReplyBytes: maxReplyBytes, timeout: timeout) }
        return [
            ("ECS DescribeServices", { _ = try ECSClient(client(.ecs)).describeServices(cluster: "c", services: ["mindhit-api"]) }),
            ("STS GetCallerIdentity", { _ = try STSClient(client(.sts)).getCallerIdentity() }),
            ("CloudWatch Logs FilterLogEvents", { try LogTailer(client: LogsClient(client(.logs))).tail(group: "/ecs/api", since: Date()) { _ in } }),
        ]
    }

    /// Runs `call`, returning its error's text and the seconds it took.
    static func failure(_ call: () throws -> Void) -> (text: String, seconds: Double)? {
        let started = Date()
        do {
            try call()
            return nil
        } catch {
            return ("\(error)", Date().timeIntervalSince(started))
        }
    }

    @Test("an endless chunked reply is cut off at 64 MiB as it arrives, naming service, operation and the limit")
    func endlessReply() throws {
        let server = try FaultHTTPServer(.endlessChunked(prefix: #"{"services":[{"serviceName":""#))
        for (name, call) in Self.calls(server.url) {
            let f = try #require(Self.failure(call), "\(name) succeeded on an endless reply")
            #expect(f.text.hasPrefix("\(name) failed: the reply from 127.0.0.1:\(server.port) is larger than 64 MiB"), "\(f.text)")
            #expect(f.text.contains("raise RUNBOOK_MAX_REPLY_BYTES"))
        }
        #expect(server.requestCount == 3, "a reply that is too large is not asked for again")
    }

    @Test("a huge reply is refused from its Content-Length before its body, or at the limit when it declares none")
    func hugeReply() throws {
        let declared = try FaultHTTPServer(.huge(bytes: 300 << 20, declared: true))
        let undeclared = try FaultHTTPServer(.huge(bytes: 300 << 20, declared: false, prefix: "<GetCallerIdentityResponse><Arn>"))
        for server in [declared, undeclared] {
            for (name, call) in Self.calls(server.url) {
                let f = try #require(Self.failure(call))
                #expect(f.text.hasPrefix("\(name) failed: the reply from 127.0.0.1:\(server.port) is larger than 64 MiB"), "\(f.text)")
            }
        }
        let f = try #require(Self.failure(Self.calls(declared.url)[0].call))
        #expect(f.text.contains("it declares a Content-Length of 314572800 bytes"))
    }

    @Test("RUNBOOK_MAX_REPLY_BYTES sets the limit; a value out of range is a clear error")
    func configuredLimit() throws {
        let home = try TempHome()
        let env = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "fake", "AWS_REGION": "ap-northeast-2"]
        #expect(try home.resolver(env).resolve().maxReplyBytes == 64 << 20)
        var small = env
        small["RUNBOOK_MAX_REPLY_BYTES"] = "1MiB"
        let settings = try home.resolver(small).resolve()
        #expect(settings.maxReplyBytes == 1 << 20)
        #expect(try AWSReplyLimit.parse("2097152") == 2 << 20)
        #expect(try AWSReplyLimit.parse("256 KiB") == 256 << 10)
        for bad in ["0", "12", "2GiB", "lots", "-5", "64MB/s"] {
            small["RUNBOOK_MAX_REPLY_BYTES"] = bad
            #expect { try home.resolver(small).resolve() } throws: { e in
                "\(e)".hasPrefix("RUNBOOK_MAX_REPLY_BYTES is '\(bad)', not a size from 1KiB to 1GiB")
            }
        }
        let server = try FaultHTTPServer(.huge(bytes: 3 << 20, declared: false))
        for (name, call) in Self.calls(server.url, maxReplyBytes: settings.maxReplyBytes) {
            let f = try #require(Self.failure(call))
            #expect(f.text.hasPrefix("\(name) failed: the reply from 127.0.0.1:\(server.port) is larger than 1 MiB"), "\(f.text)")
        }
    }

    @Test("an empty 200 is an error naming service and operation: never 'not found', never an empty result")
    func emptyReply() throws {
        let server = try FaultHTTPServer(.empty)
        for (name, call) in Self.calls(server.url) {
            let f = try #require(Self.failure(call), "\(name) accepted an empty reply")
            #expect(f.text.hasPrefix("\(name) failed: unreadable reply (HTTP 200): the body is empty, where"), "\(f.text)")
        }
        let actions = ECSServiceActions(ecs: ECSClient(Self.aws(.ecs, server.url)), region: "ap-northeast-2", cluster: "c",
                                        service: "mindhit-api", records: DeploymentRecordStore(path: "/nonexistent/records.json"))
        let f = try #require(Self.failure { _ = try actions.status() })
        #expect(!f.text.contains("not found"), "\(f.text)")
        #expect(f.text.contains("ECS DescribeServices failed"))
    }

    @Test("a reply cut off before its Content-Length is an error, after the retries")
    func truncatedReply() throws {
        let server = try FaultHTTPServer(.truncated(declared: 10_000, sent: 120, prefix: #"{"services":[{"serviceName":"api"#))
        for (name, call) in Self.calls(server.url) {
            let f = try #require(Self.failure(call))
            #expect(f.text.hasPrefix("\(name) failed after 3 attempts: the reply from 127.0.0.1:\(server.port) was cut off before its end"),
                    "\(f.text)")
        }
    }

    @Test("a server that accepts and never answers: each call ends at its 1 s timeout")
    func hangingServer() throws {
        let server = try FaultHTTPServer(.hang)
        for (name, call) in Self.calls(server.url, timeout: 1) {
            let f = try #require(Self.failure(call))
            #expect(f.text.hasPrefix("\(name) failed: 127.0.0.1:\(server.port) did not answer within 1s"), "\(f.text)")
        }
    }

    @Test("a 200 that is not the documented JSON or XML is an error saying what is wrong")
    func malformedReplies() throws {
        let server = try LocalHTTPServer { request in
            let target = request.headers["x-amz-target"] ?? ""
            if target.hasSuffix("DescribeServices") { return .json(200, #"{"services":[{"serviceName":"api","#) }
            if target.hasSuffix("FilterLogEvents") { return .json(200, #"{"events":"lots"}"#) }
            return LocalHTTPServer.Response(status: 200, contentType: "text/xml", body: "<GetCallerIdentityResponse><Arn>x</Ar")
        }
        let texts = Self.calls(server.url).compactMap { Self.failure($0.call)?.text }
        #expect(texts == [
            "ECS DescribeServices failed: unreadable reply (HTTP 200): the body is not valid JSON",
            "STS GetCallerIdentity failed: unreadable reply (HTTP 200): the body is not well-formed XML (line 1, column 38)",
            "CloudWatch Logs FilterLogEvents failed: unreadable reply (HTTP 200): events in the reply is not a list",
        ])
    }
}
