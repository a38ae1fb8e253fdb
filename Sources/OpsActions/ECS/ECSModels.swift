import Foundation

/// A time AWS sends as epoch seconds (AWS) or an ISO 8601 string (some emulators); printed as ISO 8601.
public struct AWSTimestamp: Codable, Sendable, Equatable, Comparable {
    public var date: Date

    public init(_ date: Date) { self.date = date }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let seconds = try? c.decode(Double.self) {
            date = Date(timeIntervalSince1970: seconds)
            return
        }
        let text = try c.decode(String.self)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) ?? ISO8601DateFormatter().date(from: text) {
            date = d
        } else if let seconds = Double(text) {
            date = Date(timeIntervalSince1970: seconds)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a timestamp: \(text)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(ISO8601DateFormatter().string(from: date))
    }

    public static func < (a: AWSTimestamp, b: AWSTimestamp) -> Bool { a.date < b.date }
}

/// An ECS service as DescribeServices returns it (the fields runbook uses).
public struct ECSServiceDescription: Codable, Sendable, Equatable {
    public var serviceName: String?
    public var serviceArn: String?
    public var clusterArn: String?
    public var status: String?
    public var desiredCount: Int?
    public var runningCount: Int?
    public var pendingCount: Int?
    /// An ARN on AWS; moto keeps whatever UpdateService was given (e.g. `family:3`).
    public var taskDefinition: String?
    public var deployments: [ECSDeployment]?
    public var events: [ECSServiceEvent]?

    /// The PRIMARY deployment: the one new tasks are started for.
    public var primaryDeployment: ECSDeployment? { deployments?.first { $0.status == "PRIMARY" } }
}

/// One deployment of a service (PRIMARY, ACTIVE or INACTIVE).
public struct ECSDeployment: Codable, Sendable, Equatable {
    public var id: String?
    public var status: String?
    public var taskDefinition: String?
    public var desiredCount: Int?
    public var runningCount: Int?
    public var pendingCount: Int?
    public var failedTasks: Int?
    /// `COMPLETED`, `IN_PROGRESS` or `FAILED`; absent for deployment controllers that do not report it.
    public var rolloutState: String?
    public var rolloutStateReason: String?
    public var createdAt: AWSTimestamp?
    public var updatedAt: AWSTimestamp?
}

/// A service event message ("has reached a steady state", ...).
public struct ECSServiceEvent: Codable, Sendable, Equatable {
    public var id: String?
    public var createdAt: AWSTimestamp?
    public var message: String?
}

/// An ECS task as DescribeTasks returns it.
public struct ECSTask: Codable, Sendable, Equatable {
    public var taskArn: String?
    public var taskDefinitionArn: String?
    public var lastStatus: String?
    public var desiredStatus: String?
    public var healthStatus: String?
    /// `service:NAME` for a service's tasks.
    public var group: String?
    public var startedAt: AWSTimestamp?
    public var stoppedReason: String?
}

/// A task definition as DescribeTaskDefinition returns it.
public struct ECSTaskDefinition: Codable, Sendable, Equatable {
    public var taskDefinitionArn: String?
    public var family: String?
    public var revision: Int?
    /// `ACTIVE` or `INACTIVE` (deregistered).
    public var status: String?
    public var containerDefinitions: [ECSContainerDefinition]?
}

/// One container of a task definition (the fields runbook uses).
public struct ECSContainerDefinition: Codable, Sendable, Equatable {
    public var name: String?
    /// `repo:tag` or `repo@sha256:digest`.
    public var image: String?
}

/// A resource ECS could not describe (`MISSING`, ...).
public struct ECSFailure: Codable, Sendable, Equatable {
    public var arn: String?
    public var reason: String?
    public var detail: String?
}
