import RunbookCore
import Foundation
import OpsActions
import Testing
import TestSupport
@testable import RunbookExec

/// The real executor over OpsActions, with a scripted transport (the deployment guard) and a
/// server that never answers (cancellation). The end-to-end runs against moto are in RunbookCLITests.
@Suite("OpsActionExecutor")
struct OpsActionExecutorTests {
    static let td3 = "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/api:3"
    static let td2 = "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/api:2"

    static func service(deployments: Int) -> Result<HTTPResponse, HTTPTransportError> {
        let primary = #"{"id":"ecs-svc/2","status":"PRIMARY","taskDefinition":"\#(td3)","rolloutState":"IN_PROGRESS","desiredCount":2,"runningCount":1}"#
        let old = #"{"id":"ecs-svc/1","status":"ACTIVE","taskDefinition":"\#(td2)","desiredCount":2,"runningCount":1}"#
        let list = deployments == 1 ? primary.replacingOccurrences(of: "IN_PROGRESS", with: "COMPLETED") : primary + "," + old
        return FakeTransport.json(200, #"{"services":[{"serviceName":"api","status":"ACTIVE","desiredCount":2,"runningCount":2,"taskDefinition":"\#(td3)","deployments":[\#(list)]}],"failures":[]}"#)
    }

    static func executor(_ transport: FakeTransport, state: String) -> OpsActionExecutor {
        let resolver = AWSSettingsResolver(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "fake-secret", "AWS_CONFIG_FILE": state + "/none",
            "AWS_SHARED_CREDENTIALS_FILE": state + "/none", "RUNBOOK_STATE_DIR": state,
        ], home: state)
        return OpsActionExecutor(resolver: resolver, transport: transport, requestTimeout: 5, waitDelay: 0.1)
    }

    static func context(force: Bool = false, output: @escaping @Sendable (String) -> Void = { _ in }) -> NativeActionContext {
        var env = EnvironmentConfig(name: "staging")
        env.region = "ap-northeast-2"
        env.cluster = "c"
        env.service = "api"
        return NativeActionContext(environment: env, timeoutSeconds: 30, force: force, output: output)
    }

    static let redeploy = NativeAction.ecsForceNewDeployment(cluster: "c", service: "api", aws: AWSOptions())

    static func operations(_ t: FakeTransport) -> [String] {
        t.requests.compactMap { r in r.headers.first { $0.name == "X-Amz-Target" }?.value.split(separator: ".").last.map(String.init) }
    }

    @Test func redeployRefusesWhileADeploymentItDidNotStartIsInProgress() async throws {
        let state = NSTemporaryDirectory() + "runbook-exec-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let transport = FakeTransport([Self.service(deployments: 2)])
        let error = await #expect(throws: ECSActionError.self) {
            try await Self.executor(transport, state: state).run(Self.redeploy, context: Self.context())
        }
        #expect(String(describing: error).contains("already has a deployment in progress"))
        #expect(Self.operations(transport) == ["DescribeServices"], "nothing was changed")
    }

    @Test func forceLetsTheRedeployGoAheadAndRecordsTheTaskDefinitionBefore() async throws {
        let state = NSTemporaryDirectory() + "runbook-exec-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let transport = FakeTransport([Self.service(deployments: 2), FakeTransport.json(200, "{}"), Self.service(deployments: 2)])
        let result = try await Self.executor(transport, state: state).run(Self.redeploy, context: Self.context(force: true))
        #expect(result.succeeded)
        #expect(result.before?["task_definition"] == Self.td3)
        #expect(Self.operations(transport) == ["DescribeServices", "UpdateService", "DescribeServices"])
        let records = try DeploymentRecordStore(path: state + "/ecs-deployments.json").records(region: "ap-northeast-2", cluster: "c", service: "api")
        #expect(records.map(\.previousTaskDefinition) == [Self.td3], "`runbook ecs rollback` finds the exact target")
    }

    @Test func aDeploymentThisRunStartedDoesNotBlockItsNextChange() async throws {
        let state = NSTemporaryDirectory() + "runbook-exec-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let transport = FakeTransport([
            Self.service(deployments: 1), FakeTransport.json(200, "{}"), Self.service(deployments: 2),
            Self.service(deployments: 2), FakeTransport.json(200, "{}"), Self.service(deployments: 2),
        ])
        let executor = Self.executor(transport, state: state)
        _ = try await executor.run(Self.redeploy, context: Self.context())
        let second = try await executor.run(Self.redeploy, context: Self.context())
        #expect(second.succeeded)
        #expect(Self.operations(transport).filter { $0 == "UpdateService" }.count == 2)
    }

    @Test func cancellationEndsANativeActionWhoseServerNeverAnswers() async throws {
        let hanging = try HangingServer()
        defer { hanging.stop() }
        let state = NSTemporaryDirectory() + "runbook-exec-\(UUID().uuidString)"
        let executor = Self.executor(FakeTransport(), state: state)
        let (sent, announce) = AsyncStream<Void>.makeStream()
        let real = OpsActionExecutor(resolver: executor.resolver, transport: AnnouncingTransport(inner: CurlTransport(), sent: announce))
        // The request may take 10 minutes: only the cancellation can end the action sooner, however
        // long this test waits for a thread of the pool to go on.
        var context = Self.context()
        context.timeoutSeconds = 600
        let task = Task { [context] in
            defer { announce.finish() }
            return try await real.run(.prometheusQuery(baseURL: hanging.endpoint.absoluteString, query: "up", maxTimeSeconds: 600),
                                      context: context)
        }
        for await _ in sent { break }
        // The request is now with curl, on its way to a server that never answers.
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

/// A transport whose DescribeServices waits until it is released; it counts every request it gets.
final class GatedTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: `received` is guarded by `lock`; the semaphores are thread-safe.
    private let lock = NSLock()
    private var received: [String] = []
    let describing = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)

    var operations: [String] { lock.withLock { received } }

    func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        let target = request.headers.first { $0.name == "X-Amz-Target" }?.value.split(separator: ".").last.map(String.init) ?? "?"
        lock.withLock { received.append(target) }
        if target == "DescribeServices" {
            describing.signal()
            release.wait()
            return try OpsActionExecutorTests.service(deployments: 1).get()
        }
        return try FakeTransport.json(200, #"{"service":{"serviceName":"api","deployments":[]}}"#).get()
    }
}

extension OpsActionExecutorTests {
    @Test("a redeploy cancelled while it reads the service sends no UpdateService; its context lists what was sent")
    func cancelledRedeploySendsNothingMore() async throws {
        let state = NSTemporaryDirectory() + "runbook-exec-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let gated = GatedTransport()
        let base = Self.executor(FakeTransport(), state: state)
        let executor = OpsActionExecutor(resolver: base.resolver, transport: gated, requestTimeout: 5, waitDelay: 0.1)
        let context = Self.context()
        let task = Task { try await executor.run(Self.redeploy, context: context) }
        // Wait (off the pool) until DescribeServices is on the wire, then cancel the step.
        let onTheWire = await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            Thread { c.resume(returning: gated.describing.wait(timeout: .now() + 600) == .success) }.start()
        }
        #expect(onTheWire)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // The abandoned work now gets its answer and would go on to UpdateService.
        gated.release.signal()
        let sentMore = await WaitFor.state(timeout: 2) { gated.operations.contains("UpdateService") }
        #expect(!sentMore, "no request after the cancel: \(gated.operations)")
        #expect(context.sentRequests.all == ["ECS DescribeServices"])
    }
}

/// Hands each request to `inner`, first saying that it is on its way.
struct AnnouncingTransport: HTTPTransport {
    let inner: any HTTPTransport
    let sent: AsyncStream<Void>.Continuation

    func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        sent.yield()
        return try inner.send(request)
    }
}
