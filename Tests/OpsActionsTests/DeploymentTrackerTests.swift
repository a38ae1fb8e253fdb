import Foundation
import OpsActions
import Testing

/// The tracker alone, on DescribeServices replies written out: what each sequence of replies means.
@Suite("Following one deployment")
struct DeploymentTrackerTests {
    static let t0 = 1_790_000_000.0

    static func deployment(_ id: String, _ status: String, td: String, rollout: String, running: Int = 2, desired: Int = 2,
                           at: Double = t0, reason: String? = nil) -> String {
        var fields = [#""id": "\#(id)""#, #""status": "\#(status)""#, #""taskDefinition": "\#(td)""#, #""rolloutState": "\#(rollout)""#,
                      #""runningCount": \#(running)"#, #""desiredCount": \#(desired)"#, #""createdAt": \#(at)"#]
        if let reason { fields.append(#""rolloutStateReason": "\#(reason)""#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// Events newest first, as ECS sends them: (seconds after t0, message).
    static func reply(_ deployments: [String], td: String = "api:3", running: Int = 2, desired: Int = 2,
                      events: [(Double, String)] = []) throws -> ECSClient.DescribeServicesOutput {
        let ev = events.enumerated().map { i, e in
            let message = (try? JSONEncoder().encode(e.1)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
            return #"{"id": "e\#(i)", "createdAt": \#(t0 + e.0), "message": \#(message)}"#
        }
        let json = """
            {"services": [{"serviceName": "api", "status": "ACTIVE", "desiredCount": \(desired), "runningCount": \(running),
             "taskDefinition": "\(td)", "deployments": [\(deployments.joined(separator: ","))], "events": [\(ev.joined(separator: ","))]}],
             "failures": []}
            """
        return try JSONDecoder().decode(ECSClient.DescribeServicesOutput.self, from: Data(json.utf8))
    }

    static func failure(_ o: DeploymentTracker.Observation, sourceLocation: SourceLocation = #_sourceLocation) -> DeploymentFailure? {
        if case .failed(let f) = o { return f }
        Issue.record("expected a failure, got \(o)", sourceLocation: sourceLocation)
        return nil
    }

    @Test("the deployment started: waiting while IN_PROGRESS, done once PRIMARY, COMPLETED and all running")
    func completes() throws {
        var t = DeploymentTracker(service: "api", target: WaitTarget(deploymentID: "ecs-svc/new", taskDefinition: TaskDefinitionRef("api:3")))
        let old = Self.deployment("ecs-svc/old", "ACTIVE", td: "api:2", rollout: "COMPLETED", at: Self.t0 - 600)
        let starting = try Self.reply([Self.deployment("ecs-svc/new", "PRIMARY", td: "api:3", rollout: "IN_PROGRESS", running: 0), old])
        guard case .waiting(let line) = t.observe(starting) else { Issue.record("not waiting"); return }
        #expect(line.contains("following deployment ecs-svc/new"))
        let allRunningButInProgress = try Self.reply([Self.deployment("ecs-svc/new", "PRIMARY", td: "api:3", rollout: "IN_PROGRESS")])
        #expect(t.observe(allRunningButInProgress) != .completed)
        let done = try Self.reply([Self.deployment("ecs-svc/new", "PRIMARY", td: "api:3", rollout: "COMPLETED")])
        #expect(t.observe(done) == .completed)
    }

    @Test("the circuit breaker: the deployment lingers as ACTIVE FAILED under a new PRIMARY: rolled back, with the events")
    func circuitBreaker() throws {
        var t = DeploymentTracker(service: "api", target: WaitTarget(deploymentID: "ecs-svc/new", taskDefinition: TaskDefinitionRef("api:3")))
        _ = t.observe(try Self.reply([Self.deployment("ecs-svc/new", "PRIMARY", td: "api:3", rollout: "IN_PROGRESS", running: 0),
                                      Self.deployment("ecs-svc/old", "ACTIVE", td: "api:2", rollout: "COMPLETED", at: Self.t0 - 600)],
                                     events: [(5, "(service api) has started 2 tasks: (task a) (task b).")]))
        let rolledBack = try Self.reply([
            Self.deployment("ecs-svc/back", "PRIMARY", td: "api:2", rollout: "IN_PROGRESS", running: 1, at: Self.t0 + 60),
            Self.deployment("ecs-svc/new", "ACTIVE", td: "api:3", rollout: "FAILED", running: 0,
                            reason: "ECS deployment circuit breaker: tasks failed to start."),
        ], td: "api:2", events: [
            (61, "(service api) rolling back to deployment ecs-svc/back."),
            (60, "(service api) (deployment ecs-svc/new) deployment failed: tasks failed to start."),
            (5, "(service api) has started 2 tasks: (task a) (task b)."),
            (-900, "(service api) has reached a steady state."),
        ])
        let f = try #require(Self.failure(t.observe(rolledBack)))
        #expect(f.kind == .rolledBack)
        #expect(f.outcome == .rolledBack)
        #expect(f.deploymentID == "ecs-svc/new")
        #expect(f.summary.contains("deployment ecs-svc/new (api:3) FAILED: ECS deployment circuit breaker: tasks failed to start"))
        #expect(f.summary.contains("deployment ecs-svc/back (api:2"))
        #expect(f.events.count == 3, "events from before the deployment are not about it: \(f.events)")
        #expect(f.events.first?.contains("rolling back to deployment ecs-svc/back") == true)
        #expect(f.description.contains("deployment failed: tasks failed to start"))
    }

    @Test("the failed deployment already gone: rolled back when the events say so, else gone")
    func gone() throws {
        let back = Self.deployment("ecs-svc/back", "PRIMARY", td: "api:2", rollout: "COMPLETED", at: Self.t0 + 60)
        var t = DeploymentTracker(service: "api", target: WaitTarget(deploymentID: "ecs-svc/new"))
        let withEvents = try Self.reply([back], td: "api:2", events: [
            (61, "(service api) rolling back to deployment ecs-svc/back."),
            (60, "(service api) (deployment ecs-svc/new) deployment failed: tasks failed to start."),
        ])
        #expect(Self.failure(t.observe(withEvents))?.kind == .rolledBack)
        var quiet = DeploymentTracker(service: "api", target: WaitTarget(deploymentID: "ecs-svc/new"))
        let f = Self.failure(quiet.observe(try Self.reply([back], td: "api:2")))
        #expect(f?.kind == .gone)
        #expect(f?.summary.contains("deployment ecs-svc/new is gone") == true)
        #expect(f?.description.contains("no events") == true)
    }

    @Test("a FAILED PRIMARY (no rollback configured) fails with its reason")
    func failedPrimary() throws {
        var t = DeploymentTracker(service: "api", target: WaitTarget(deploymentID: "ecs-svc/new"))
        let f = Self.failure(t.observe(try Self.reply([
            Self.deployment("ecs-svc/new", "PRIMARY", td: "api:3", rollout: "FAILED", running: 0, reason: "tasks failed to start"),
            Self.deployment("ecs-svc/old", "ACTIVE", td: "api:2", rollout: "COMPLETED", at: Self.t0 - 600),
        ])))
        #expect(f?.kind == .failed)
        #expect(f?.summary.contains("FAILED: tasks failed to start") == true)
    }

    @Test("given its deployment, a wait fails when someone else's deployment takes over; without one it follows that deployment")
    func replaced() throws {
        let foreign = try Self.reply([
            Self.deployment("ecs-svc/foreign", "PRIMARY", td: "api:4", rollout: "IN_PROGRESS", running: 0, at: Self.t0 + 30),
            Self.deployment("ecs-svc/new", "ACTIVE", td: "api:3", rollout: "IN_PROGRESS", running: 1),
        ], td: "api:4")
        var mine = DeploymentTracker(service: "api", target: WaitTarget(deploymentID: "ecs-svc/new"))
        let f = Self.failure(mine.observe(foreign))
        #expect(f?.kind == .replaced)
        #expect(f?.summary.contains("another change replaced it") == true)

        var any = DeploymentTracker(service: "api", target: .any)
        _ = any.observe(try Self.reply([Self.deployment("ecs-svc/new", "PRIMARY", td: "api:3", rollout: "IN_PROGRESS", running: 1)]))
        #expect(any.followed == "ecs-svc/new")
        guard case .waiting(let line) = any.observe(foreign) else { Issue.record("not waiting"); return }
        #expect(line.contains("replaced by ecs-svc/foreign"))
        #expect(any.followed == "ecs-svc/foreign")
        #expect(any.observe(try Self.reply([Self.deployment("ecs-svc/foreign", "PRIMARY", td: "api:4", rollout: "COMPLETED")], td: "api:4"))
                == .completed)
    }

    @Test("without a deployment of its own, a FAILED deployment in sight fails the wait (ECS rolling back after the change)")
    func untargetedSeesFailure() throws {
        var t = DeploymentTracker(service: "api", target: .any)
        let f = Self.failure(t.observe(try Self.reply([
            Self.deployment("ecs-svc/back", "PRIMARY", td: "api:2", rollout: "COMPLETED", at: Self.t0 + 60),
            Self.deployment("ecs-svc/new", "ACTIVE", td: "api:3", rollout: "FAILED", running: 0),
        ], td: "api:2")))
        #expect(f?.kind == .rolledBack)
        #expect(f?.deploymentID == "ecs-svc/new")
    }

    @Test("without a deployment: ECS's completed rollback is a failure; asked for its task definition, it is what was asked")
    func completedRollback() throws {
        let after = try Self.reply([Self.deployment("ecs-svc/back", "PRIMARY", td: "api:2", rollout: "COMPLETED", at: Self.t0 + 60)],
                                   td: "api:2", events: [(70, "(service api) has reached a steady state."),
                                                         (60, "(service api) rolling back to deployment ecs-svc/prev."),
                                                         (59, "(service api) (deployment ecs-svc/new) deployment failed: tasks failed to start.")])
        var any = DeploymentTracker(service: "api", target: .any)
        let f = Self.failure(any.observe(after))
        #expect(f?.kind == .rolledBack)
        #expect(f?.events.count == 3)
        var onTwo = DeploymentTracker(service: "api", target: WaitTarget(taskDefinition: TaskDefinitionRef("api:2")))
        #expect(onTwo.observe(after) == .completed)
        let quiet = try Self.reply([Self.deployment("ecs-svc/back", "PRIMARY", td: "api:2", rollout: "COMPLETED", at: Self.t0 + 60)],
                                   td: "api:2", events: [(-4000, "(service api) rolling back to deployment ecs-svc/old.")])
        var later = DeploymentTracker(service: "api", target: .any)
        #expect(later.observe(quiet) == .completed, "a rollback long before this deployment is not about it")
    }

    @Test("a task definition to settle on: completing on another one fails, naming both")
    func settledElsewhere() throws {
        var t = DeploymentTracker(service: "api", target: WaitTarget(taskDefinition: TaskDefinitionRef("api:3")))
        let f = Self.failure(t.observe(try Self.reply([Self.deployment("ecs-svc/back", "PRIMARY", td: "api:2", rollout: "COMPLETED")],
                                                      td: "api:2")))
        #expect(f?.kind == .settledElsewhere)
        #expect(f?.summary.contains("completed on api:2, not on api:3") == true)
    }

    @Test("event text from the network is one bounded line")
    func hostileEvents() throws {
        var t = DeploymentTracker(service: "api", target: WaitTarget(deploymentID: "ecs-svc/new"))
        let long = String(repeating: "x", count: 5000)
        let f = Self.failure(t.observe(try Self.reply([
            Self.deployment("ecs-svc/new", "PRIMARY", td: "api:3", rollout: "FAILED", running: 0),
        ], events: [(1, "line one\n\u{1B}[2Jline two"), (2, long)])))
        #expect(f?.events.allSatisfy { !$0.contains("\n") && !$0.contains("\u{1B}") && $0.count < 400 } == true)
    }
}
