import Foundation
import OpsActions

/// One ECS service in moto with its own cluster and task family (so tests run in parallel on one server).
public struct ECSFixture {
    public let moto: MotoServer
    public let cluster: String
    public let service: String
    public let family: String
    public let stateDir: String
    /// ARNs of the registered revisions, index 0 = revision 1.
    public var revisions: [String] = []

    /// Registers `revisions` task definitions (revision N runs `nginx:N`, or `images[N-1]` when
    /// given), creates the service on the last one with `desired` tasks, and starts one task in the
    /// service's group (moto never starts them itself).
    public init(moto: MotoServer, revisions count: Int = 3, desired: Int = 2, serviceOn: Int? = nil, images: [String]? = nil) throws {
        let count = images?.count ?? count
        self.moto = moto
        let id = UUID().uuidString.prefix(8).lowercased()
        cluster = "cluster-\(id)"
        service = "api-\(id)"
        family = "family-\(id)"
        stateDir = NSTemporaryDirectory() + "runbook-state-\(id)"
        try moto.json(.ecs, "CreateCluster", ["clusterName": cluster])
        for i in 1...count {
            let out = try moto.json(.ecs, "RegisterTaskDefinition", [
                "family": family,
                "containerDefinitions": [["name": "api", "image": images?[i - 1] ?? "nginx:\(i)", "memory": 128]],
            ])
            revisions.append(((out["taskDefinition"] as? [String: Any])?["taskDefinitionArn"] as? String) ?? "")
        }
        try moto.json(.ecs, "CreateService", [
            "cluster": cluster, "serviceName": service, "taskDefinition": "\(family):\(serviceOn ?? count)", "desiredCount": desired,
        ])
        try moto.json(.ecs, "RunTask", [
            "cluster": cluster, "taskDefinition": "\(family):\(serviceOn ?? count)", "group": "service:\(service)",
            "launchType": "FARGATE", "count": 1,
        ])
    }

    public var ecs: ECSClient { ECSClient(settings: moto.settings(), timeout: 10) }

    public var records: DeploymentRecordStore { DeploymentRecordStore(path: stateDir + "/ecs-deployments.json") }

    public func actions(waitTimeout: Double = 5) -> ECSServiceActions {
        ECSServiceActions(ecs: ecs, region: "ap-northeast-2", cluster: cluster, service: service, records: records,
                          waiter: ServiceStabilityWaiter(ecs: ecs, delay: 0.2, timeout: waitTimeout))
    }

    /// Records a change as runbook would have, `at` some time ago.
    public func record(_ action: String, from: Int, to: Int, outcome: DeploymentRecordStore.Outcome?, minutesAgo: Double) throws {
        try records.append(.init(action: action, previousTaskDefinition: revisions[from - 1], previousDesiredCount: 2,
                                 newTaskDefinition: revisions[to - 1], at: Date().addingTimeInterval(-minutesAgo * 60), outcome: outcome),
                           region: "ap-northeast-2", cluster: cluster, service: service)
    }

    public func deregister(_ revision: Int) throws {
        try moto.json(.ecs, "DeregisterTaskDefinition", ["taskDefinition": "\(family):\(revision)"])
    }

    /// What ECS says the service runs, as `family:revision`.
    public func runningRevision() throws -> Int? {
        let s = try ecs.describeServices(cluster: cluster, services: [service]).services.first
        return s?.taskDefinition.flatMap(TaskDefinitionRef.init)?.revision
    }
}

/// The moto servers of the integration suites, one per configuration, started on first use.
public enum SharedMoto {
    /// ECS reports 2 running tasks per service (`MOTO_ECS_SERVICE_RUNNING=2`): a service with desired 2 is stable, 3 never is.
    public static let ecs: Result<MotoServer, any Error> = Result { try MotoServer(environment: ["MOTO_ECS_SERVICE_RUNNING": "2"]) }

    public static func server() throws -> MotoServer { try ecs.get() }
}
