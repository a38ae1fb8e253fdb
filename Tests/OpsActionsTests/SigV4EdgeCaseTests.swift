import Foundation
import OpsActions
import Testing

@Suite("SigV4 canonical request: edge cases")
struct SigV4EdgeCaseTests {
    @Test("reserved and non-ASCII characters are percent-encoded once, unreserved ones never")
    func encoding() {
        #expect(SigV4Signer.uriEncode("a b+c/d=é~-_.") == "a%20b%2Bc%2Fd%3D%C3%A9~-_.")
    }

    @Test("normalised paths drop dot segments and empty segments but keep a trailing slash")
    func normalisedPaths() {
        #expect(SigV4Signer.canonicalPath("", normalize: true) == "/")
        #expect(SigV4Signer.canonicalPath("/a/./b/../c//", normalize: true) == "/a/c/")
        #expect(SigV4Signer.canonicalPath("/../..", normalize: true) == "/")
        #expect(SigV4Signer.canonicalPath("/key with space", normalize: true) == "/key%20with%20space")
    }

    @Test("S3-style paths are signed as given, slashes and dots included")
    func s3Paths() {
        #expect(SigV4Signer.canonicalPath("/bucket//a/../b.txt", normalize: false) == "/bucket//a/../b.txt")
        #expect(SigV4Signer.canonicalPath("/backups/2026 11/dump+1.sql", normalize: false) == "/backups/2026%2011/dump%2B1.sql")
    }

    @Test("query items sort by encoded name, then value; empty values keep their '='")
    func query() {
        let q = SigV4Signer.canonicalQuery([(name: "b", value: "2"), (name: "a", value: "z"), (name: "a", value: "y"),
                                            (name: "c", value: ""), (name: "A", value: "x y")])
        #expect(q == "A=x%20y&a=y&a=z&b=2&c=")
    }

    @Test("header names are lowercased and sorted; values trimmed with inner runs of spaces collapsed")
    func headers() {
        let (block, signed) = SigV4Signer.canonicalize(headers: [(name: "X-B", value: "  two   words "), (name: "x-a", value: "1"),
                                                                 (name: "X-A", value: "2")])
        #expect(block == "x-a:1,2\nx-b:two words\n")
        #expect(signed == "x-a;x-b")
    }

    @Test("a session token is signed as X-Amz-Security-Token and sent")
    func sessionToken() {
        let r = SigV4Signer.Request(method: "POST", path: "/", headers: [(name: "Host", value: "ecs.ap-northeast-2.amazonaws.com")],
                                    payloadHash: SigV4Signer.emptyPayloadHash)
        let s = SigV4Signer.sign(r, credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "s", sessionToken: "TOKEN"),
                                 options: .init(region: "ap-northeast-2", service: "ecs", date: Date(timeIntervalSince1970: 0)))
        #expect(s.canonicalRequest.contains("x-amz-security-token:TOKEN\n"))
        #expect(s.authorization.contains("SignedHeaders=host;x-amz-date;x-amz-security-token"))
        #expect(s.headersToAdd.contains { $0.name == "X-Amz-Security-Token" && $0.value == "TOKEN" })
        #expect(s.authorization.contains("Credential=AKIDEXAMPLE/19700101/ap-northeast-2/ecs/aws4_request"))
    }
}

@Suite("Task definition names: ARN, family:revision, family")
struct TaskDefinitionRefTests {
    @Test("an ARN and family:revision name the same revision")
    func forms() throws {
        let arn = try #require(TaskDefinitionRef("arn:aws:ecs:ap-northeast-2:123456789012:task-definition/mindhit-api:3"))
        let short = try #require(TaskDefinitionRef("mindhit-api:3"))
        #expect(arn.family == "mindhit-api" && arn.revision == 3)
        #expect(arn.sameRevision(as: short))
        #expect(arn.bestName.hasPrefix("arn:"))
        #expect(short.bestName == "mindhit-api:3")
        #expect(TaskDefinitionRef("mindhit-api")?.revision == nil)
    }

    @Test("malformed names are rejected")
    func malformed() {
        #expect(TaskDefinitionRef("") == nil)
        #expect(TaskDefinitionRef("mindhit-api:x") == nil)
        #expect(TaskDefinitionRef("mindhit-api:0") == nil)
        #expect(TaskDefinitionRef("arn:aws:ecs:r:1:service/x") == nil)
    }
}

@Suite("services-stable acceptors and the PRIMARY check")
struct StabilityJudgeTests {
    func service(deployments: [String], running: Int = 2, desired: Int = 2, status: String = "ACTIVE",
                 taskDefinition: String = "app:3") throws -> ECSClient.DescribeServicesOutput {
        let json = """
            {"services": [{"serviceName": "app", "status": "\(status)", "desiredCount": \(desired), "runningCount": \(running),
             "taskDefinition": "\(taskDefinition)", "deployments": [\(deployments.joined(separator: ","))]}], "failures": []}
            """
        return try JSONDecoder().decode(ECSClient.DescribeServicesOutput.self, from: Data(json.utf8))
    }

    func deployment(_ status: String, _ td: String = "app:3", rollout: String = "COMPLETED") -> String {
        #"{"id": "d", "status": "\#(status)", "taskDefinition": "\#(td)", "rolloutState": "\#(rollout)"}"#
    }

    @Test("one deployment, running == desired, rollout COMPLETED on the expected revision: stable")
    func stable() throws {
        #expect(ServiceStabilityWaiter.judge(try service(deployments: [deployment("PRIMARY")]), service: "app",
                                             expected: TaskDefinitionRef("app:3")) == .stable)
    }

    @Test("two deployments, fewer running, rollout IN_PROGRESS or another revision: still waiting")
    func waiting() throws {
        let two = try service(deployments: [deployment("PRIMARY"), deployment("ACTIVE", "app:2")])
        #expect(ServiceStabilityWaiter.judge(two, service: "app", expected: nil) != .stable)
        #expect(ServiceStabilityWaiter.judge(try service(deployments: [deployment("PRIMARY")], running: 1), service: "app", expected: nil) != .stable)
        #expect(ServiceStabilityWaiter.judge(try service(deployments: [deployment("PRIMARY", rollout: "IN_PROGRESS")]), service: "app", expected: nil) != .stable)
        #expect(ServiceStabilityWaiter.judge(try service(deployments: [deployment("PRIMARY")]), service: "app",
                                             expected: TaskDefinitionRef("app:2")) != .stable)
    }

    @Test("DRAINING or INACTIVE service and a FAILED rollout fail at once")
    func failures() throws {
        if case .failed = ServiceStabilityWaiter.judge(try service(deployments: [deployment("PRIMARY")], status: "DRAINING"), service: "app", expected: nil) {} else {
            Issue.record("DRAINING did not fail")
        }
        if case .failed = ServiceStabilityWaiter.judge(try service(deployments: [deployment("PRIMARY", rollout: "FAILED")]), service: "app", expected: nil) {} else {
            Issue.record("FAILED rollout did not fail")
        }
    }
}
