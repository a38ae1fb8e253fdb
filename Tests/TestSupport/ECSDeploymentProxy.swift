import Foundation
import OpsActions
import Synchronization

/// An ECS endpoint in front of moto that plays the deployments moto does not model.
///
/// moto keeps one deployment per service and never starts another on UpdateService. This proxy
/// forwards every request to moto unchanged; once armed with a scenario, it rewrites the armed
/// service in the UpdateService reply that starts the scenario and in every DescribeServices reply
/// after it, one frame per DescribeServices (the last frame repeats): deployments, counts, the
/// service's task definition and events, the way ECS shows them.
public final class ECSDeploymentProxy: Sendable {
    /// What ECS does after the change.
    public enum Scenario: Sendable {
        /// The deployment circuit breaker with rollback: the new deployment's tasks fail, it lingers
        /// as ACTIVE with rollout FAILED under a new PRIMARY that runs the old task definition, then
        /// it disappears and the rollback completes.
        case circuitBreakerRollback
        /// The new PRIMARY's rollout goes FAILED and stays so (a circuit breaker without rollback).
        case failedRollout
        /// The new deployment stays IN_PROGRESS with one task running and ECS unable to place the rest.
        case neverFinishes
        /// A deployment runbook did not start is in progress from the moment this is armed.
        case foreignDeploymentInProgress
        /// After the change, someone else's deployment becomes PRIMARY and completes; the change's own disappears.
        case replacedByForeignDeployment
    }

    /// The deployment ids the scenarios use.
    public struct IDs: Sendable {
        /// The deployment the change started (in UpdateService's reply).
        public let new: String
        /// The circuit breaker's rollback deployment.
        public let rollback: String
        /// Someone else's deployment.
        public let foreign: String
    }

    public let ids: IDs
    private let moto: MotoServer
    private let server: LocalHTTPServer
    private let shared = Shared()

    /// The scenario's state, shared with the server's threads.
    final class Shared: Sendable {
        let state = Mutex(State())
    }

    struct State: Sendable {
        var scenario: Scenario?
        var service = ""
        /// Set once the scenario has started; each DescribeServices takes the next (the last repeats).
        var frames: [Frame] = []
        var next = 0
        var updates = 0
    }

    struct Deployment: Sendable {
        var id: String
        var status: String
        var taskDefinition: String
        var rollout: String
        var running: Int
        var desired: Int
        var createdAt: Double
        var reason: String?
        var failedTasks = 0
    }

    struct Frame: Sendable {
        var deployments: [Deployment]
        var taskDefinition: String
        /// Newest first: (time, message).
        var events: [(at: Double, message: String)]
    }

    /// Starts the proxy on a free loopback port in front of `moto`.
    public init(moto: MotoServer) throws {
        self.moto = moto
        let base = String(UInt64.random(in: 1_000_000_000_000_000...9_000_000_000_000_000))
        ids = IDs(new: "ecs-svc/\(base)1", rollback: "ecs-svc/\(base)2", foreign: "ecs-svc/\(base)3")
        let shared = self.shared
        let ids = self.ids
        server = try LocalHTTPServer { request in Self.handle(request, moto: moto, shared: shared, ids: ids) }
    }

    deinit { server.stop() }

    /// What `AWS_ENDPOINT_URL` (or the settings' endpoint) should point at.
    public var endpoint: URL { server.url }

    /// Settings that point at the proxy.
    public func settings() -> AWSSettings {
        AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "moto-fake-secret", source: "test"),
                    region: "ap-northeast-2", globalEndpoint: endpoint)
    }

    /// UpdateService calls seen so far.
    public var updates: Int { shared.state.withLock { $0.updates } }

    /// Plays `scenario` for `service`: from its next UpdateService, or at once for a foreign deployment in progress.
    public func arm(_ scenario: Scenario, service: String, cluster: String) throws {
        var frames: [Frame] = []
        if case .foreignDeploymentInProgress = scenario {
            let current = try Self.motoService(moto, cluster: cluster, service: service)
            frames = Self.frames(scenario, service: service, ids: ids, old: current.deployment, newTaskDefinition: current.taskDefinition,
                                 desired: current.desired, at: Date().timeIntervalSince1970)
        }
        shared.state.withLock {
            $0.scenario = scenario
            $0.service = service
            $0.frames = frames
            $0.next = 0
        }
    }

    // MARK: - the exchange

    private static func handle(_ request: LocalHTTPServer.Request, moto: MotoServer, shared: Shared, ids: IDs) -> LocalHTTPServer.Response? {
        let operation = request.headers["x-amz-target"]?.split(separator: ".").last.map(String.init) ?? ""
        // The change that starts a scenario: what moto runs before it is the "old" deployment.
        var before: (deployment: Deployment?, taskDefinition: String, desired: Int)?
        if operation == "UpdateService", let body = object(request.body), let service = (body["service"] as? String).map(name),
           let cluster = body["cluster"] as? String, shared.state.withLock({ $0.scenario != nil && $0.frames.isEmpty && $0.service == service }) {
            before = try? motoService(moto, cluster: cluster, service: service)
        }
        guard let reply = forward(request, to: moto) else { return .json(502, #"{"__type": "ProxyError", "message": "moto did not answer"}"#) }
        switch operation {
        case "UpdateService":
            shared.state.withLock { $0.updates += 1 }
            guard let before, var root = object(reply.body), var service = root["service"] as? [String: Any] else { return reply }
            let newTD = service["taskDefinition"] as? String ?? before.taskDefinition
            let frame: Frame? = shared.state.withLock { s in
                guard let scenario = s.scenario else { return nil }
                s.frames = frames(scenario, service: s.service, ids: ids, old: before.deployment, newTaskDefinition: newTD,
                                  desired: before.desired, at: Date().timeIntervalSince1970)
                s.next = 0
                return s.frames.first
            }
            guard let frame else { return reply }
            apply(frame, to: &service)
            root["service"] = service
            return json(root, status: reply.status)
        case "DescribeServices":
            guard var root = object(reply.body), var services = root["services"] as? [[String: Any]] else { return reply }
            for i in services.indices {
                guard let name = services[i]["serviceName"] as? String else { continue }
                let frame: Frame? = shared.state.withLock { s in
                    guard s.service == name, !s.frames.isEmpty else { return nil }
                    let f = s.frames[min(s.next, s.frames.count - 1)]
                    s.next += 1
                    return f
                }
                if let frame { apply(frame, to: &services[i]) }
            }
            root["services"] = services
            return json(root, status: reply.status)
        default:
            return reply
        }
    }

    /// `arn:...:service/cluster/name` or `name`: the name.
    private static func name(_ s: String) -> String { s.split(separator: "/").last.map(String.init) ?? s }

    private static func forward(_ request: LocalHTTPServer.Request, to moto: MotoServer) -> LocalHTTPServer.Response? {
        let skip: Set<String> = ["host", "content-length", "connection", "transfer-encoding", "expect", "accept-encoding"]
        let headers = request.headers.filter { !skip.contains($0.key) }.map { (name: $0.key, value: $0.value) }
        guard let url = URL(string: moto.endpoint.absoluteString + request.target),
              let r = try? CurlTransport().send(HTTPRequest(method: request.method, url: url, headers: headers,
                                                            body: request.body.isEmpty ? .empty : .bytes(request.body), timeout: 20))
        else { return nil }
        var out = LocalHTTPServer.Response(status: r.status, contentType: r.header("Content-Type") ?? "application/x-amz-json-1.1", body: "")
        out.body = r.body
        return out
    }

    // MARK: - frames

    /// The frames of `scenario`, built when the change is made (at `t` seconds since 1970).
    static func frames(_ scenario: Scenario, service: String, ids: IDs, old: Deployment?, newTaskDefinition new: String,
                       desired: Int, at t: Double) -> [Frame] {
        let oldTD = old?.taskDefinition ?? new
        let previous = old.map { d -> Deployment in
            var d = d
            d.status = "ACTIVE"
            d.createdAt = t - 3600
            return d
        } ?? Deployment(id: "ecs-svc/0", status: "ACTIVE", taskDefinition: oldTD, rollout: "COMPLETED", running: desired,
                        desired: desired, createdAt: t - 3600)
        func mine(_ rollout: String, running: Int, status: String = "PRIMARY", reason: String? = nil, failed: Int = 0) -> Deployment {
            Deployment(id: ids.new, status: status, taskDefinition: new, rollout: rollout, running: running, desired: desired,
                       createdAt: t, reason: reason, failedTasks: failed)
        }
        let started = (t + 1, "(service \(service)) has started \(desired) tasks: (task 6f0c2a1e).")
        let steadyBefore = (t - 3000, "(service \(service)) has reached a steady state.")
        switch scenario {
        case .circuitBreakerRollback:
            let back = Deployment(id: ids.rollback, status: "PRIMARY", taskDefinition: oldTD, rollout: "IN_PROGRESS", running: 0,
                                  desired: desired, createdAt: t + 3)
            let failedEvents = [(t + 3, "(service \(service)) rolling back to deployment \(ids.rollback)."),
                                (t + 3, "(service \(service)) (deployment \(ids.new)) deployment failed: tasks failed to start."),
                                (t + 2, "(service \(service)) (task 6f0c2a1e) stopped: Essential container in task exited."),
                                started, steadyBefore]
            var done = back
            done.rollout = "COMPLETED"
            done.running = desired
            return [
                Frame(deployments: [mine("IN_PROGRESS", running: 0), previous], taskDefinition: new, events: [started, steadyBefore]),
                Frame(deployments: [back, mine("FAILED", running: 0, status: "ACTIVE",
                                               reason: "ECS deployment circuit breaker: tasks failed to start.", failed: 2)],
                      taskDefinition: oldTD, events: failedEvents),
                Frame(deployments: [done], taskDefinition: oldTD,
                      events: [(t + 9, "(service \(service)) has reached a steady state.")] + failedEvents),
            ]
        case .failedRollout:
            let failed = [(t + 3, "(service \(service)) (deployment \(ids.new)) deployment failed: tasks failed to start."),
                          (t + 2, "(service \(service)) (task 6f0c2a1e) stopped: CannotPullContainerError: image not found."),
                          started, steadyBefore]
            return [
                Frame(deployments: [mine("IN_PROGRESS", running: 0), previous], taskDefinition: new, events: [started, steadyBefore]),
                Frame(deployments: [mine("FAILED", running: 0, reason: "ECS deployment circuit breaker: tasks failed to start.", failed: 2),
                                    previous], taskDefinition: new, events: failed),
            ]
        case .neverFinishes:
            return [
                Frame(deployments: [mine("IN_PROGRESS", running: 1), previous], taskDefinition: new,
                      events: [(t + 2, "(service \(service)) was unable to place a task because no container instance met all of its requirements."),
                               (t + 1, "(service \(service)) has started 1 tasks: (task 6f0c2a1e)."), steadyBefore]),
            ]
        case .foreignDeploymentInProgress:
            let foreign = Deployment(id: ids.foreign, status: "PRIMARY", taskDefinition: new, rollout: "IN_PROGRESS", running: 1,
                                     desired: desired, createdAt: t - 30)
            return [Frame(deployments: [foreign, previous], taskDefinition: new,
                          events: [(t - 29, "(service \(service)) has started 1 tasks: (task 1d2c3b4a)."), steadyBefore])]
        case .replacedByForeignDeployment:
            var foreign = Deployment(id: ids.foreign, status: "PRIMARY", taskDefinition: oldTD, rollout: "IN_PROGRESS", running: 0,
                                     desired: desired, createdAt: t + 2)
            let events = [(t + 2, "(service \(service)) has started \(desired) tasks: (task 1d2c3b4a)."), started, steadyBefore]
            let first = Frame(deployments: [foreign, mine("IN_PROGRESS", running: 1, status: "ACTIVE")], taskDefinition: oldTD, events: events)
            foreign.rollout = "COMPLETED"
            foreign.running = desired
            return [
                Frame(deployments: [mine("IN_PROGRESS", running: 0), previous], taskDefinition: new, events: [started, steadyBefore]),
                first,
                Frame(deployments: [foreign], taskDefinition: oldTD,
                      events: [(t + 8, "(service \(service)) has reached a steady state.")] + events),
            ]
        }
    }

    /// Writes `frame` over a service object of a reply.
    static func apply(_ frame: Frame, to service: inout [String: Any]) {
        service["deployments"] = frame.deployments.map { d -> [String: Any] in
            var o: [String: Any] = [
                "id": d.id, "status": d.status, "taskDefinition": d.taskDefinition, "rolloutState": d.rollout,
                "desiredCount": d.desired, "runningCount": d.running, "pendingCount": max(0, d.desired - d.running),
                "failedTasks": d.failedTasks, "createdAt": d.createdAt, "updatedAt": d.createdAt, "launchType": "FARGATE",
            ]
            if let r = d.reason { o["rolloutStateReason"] = r }
            return o
        }
        let running = frame.deployments.reduce(0) { $0 + $1.running }
        service["taskDefinition"] = frame.taskDefinition
        service["runningCount"] = running
        service["pendingCount"] = max(0, (service["desiredCount"] as? Int ?? 0) - running)
        service["events"] = frame.events.enumerated().map { i, e in
            ["id": "proxy-event-\(frame.events.count - i)", "createdAt": e.at, "message": e.message] as [String: Any]
        }
    }

    // MARK: - moto and JSON

    /// moto's view of the service: its PRIMARY deployment, task definition and desired count.
    static func motoService(_ moto: MotoServer, cluster: String, service: String) throws
        -> (deployment: Deployment?, taskDefinition: String, desired: Int) {
        let out = try moto.json(.ecs, "DescribeServices", ["cluster": cluster, "services": [service]])
        guard let s = (out["services"] as? [[String: Any]])?.first else { throw TestSupportError("moto has no service \(service) in \(cluster)") }
        let td = s["taskDefinition"] as? String ?? "?"
        let desired = s["desiredCount"] as? Int ?? 0
        let primary = (s["deployments"] as? [[String: Any]])?.first { $0["status"] as? String == "PRIMARY" }
        let deployment = primary.map { p in
            // The service's own field: moto leaves its deployment's as created.
            Deployment(id: p["id"] as? String ?? "ecs-svc/0", status: "PRIMARY", taskDefinition: td,
                       rollout: "COMPLETED", running: desired, desired: desired, createdAt: 0)
        }
        return (deployment, td, desired)
    }

    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func json(_ object: [String: Any], status: Int) -> LocalHTTPServer.Response {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else {
            return .json(502, #"{"__type": "ProxyError", "message": "the rewritten reply is not JSON"}"#)
        }
        var r = LocalHTTPServer.Response(status: status, contentType: "application/x-amz-json-1.1", body: "")
        r.body = data
        return r
    }
}

extension ECSFixture {
    /// The fixture's service actions, talking to ECS through `proxy`.
    public func actions(through proxy: ECSDeploymentProxy, waitTimeout: Double = 5) -> ECSServiceActions {
        let ecs = ECSClient(settings: proxy.settings(), timeout: 10)
        return ECSServiceActions(ecs: ecs, region: "ap-northeast-2", cluster: cluster, service: service, records: records,
                                 waiter: ServiceStabilityWaiter(ecs: ecs, delay: 0.05, timeout: waitTimeout))
    }
}
