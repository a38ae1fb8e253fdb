import Foundation

/// The ECS API calls runbook uses, over awsJson1_1.
public struct ECSClient: Sendable {
    public var aws: AWSClient

    public init(_ aws: AWSClient) { self.aws = aws }

    /// The ECS client for resolved settings, over libcurl.
    public init(settings: AWSSettings, transport: any HTTPTransport = CurlTransport(), timeout: Double = 30) {
        aws = AWSClient(service: .ecs, settings: settings, transport: transport, timeout: timeout)
    }

    public struct DescribeServicesOutput: Decodable, Sendable {
        public var services: [ECSServiceDescription]
        public var failures: [ECSFailure]
        enum CodingKeys: String, CodingKey { case services, failures }
        public init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            services = try c.decodeIfPresent([ECSServiceDescription].self, forKey: .services) ?? []
            failures = try c.decodeIfPresent([ECSFailure].self, forKey: .failures) ?? []
        }
    }

    public func describeServices(cluster: String, services: [String]) throws(AWSError) -> DescribeServicesOutput {
        struct Input: Encodable { var cluster: String; var services: [String] }
        let out: DescribeServicesOutput = try aws.callJSON("DescribeServices", Input(cluster: cluster, services: services))
        // Each service asked for is either described or a failure: a reply with neither is broken, not "not found".
        if !services.isEmpty && out.services.isEmpty && out.failures.isEmpty {
            throw AWSError(service: aws.service.displayName, operation: "DescribeServices",
                           reason: .unreadableResponse(status: 200, detail: "the reply lists neither services nor failures", requestID: nil))
        }
        return out
    }

    public struct DescribeTasksOutput: Decodable, Sendable {
        public var tasks: [ECSTask]
        public var failures: [ECSFailure]
        enum CodingKeys: String, CodingKey { case tasks, failures }
        public init(tasks: [ECSTask], failures: [ECSFailure]) {
            self.tasks = tasks
            self.failures = failures
        }
        public init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            tasks = try c.decodeIfPresent([ECSTask].self, forKey: .tasks) ?? []
            failures = try c.decodeIfPresent([ECSFailure].self, forKey: .failures) ?? []
        }
    }

    /// Describes up to 100 tasks (the API's limit); more are described in batches.
    public func describeTasks(cluster: String, tasks: [String]) throws(AWSError) -> DescribeTasksOutput {
        struct Input: Encodable { var cluster: String; var tasks: [String] }
        var all: [ECSTask] = [], failures: [ECSFailure] = []
        var start = 0
        while start < tasks.count {
            let batch = Array(tasks[start..<min(tasks.count, start + 100)])
            let out: DescribeTasksOutput = try aws.callJSON("DescribeTasks", Input(cluster: cluster, tasks: batch))
            all += out.tasks
            failures += out.failures
            start += 100
        }
        return DescribeTasksOutput(tasks: all, failures: failures)
    }

    /// Every task ARN of the cluster (filtered by service and desired status where the API does), all pages.
    public func listTasks(cluster: String, serviceName: String? = nil, desiredStatus: String? = nil) throws(AWSError) -> [String] {
        struct Input: Encodable { var cluster: String; var serviceName: String?; var desiredStatus: String?; var nextToken: String? }
        struct Output: Decodable { var taskArns: [String]?; var nextToken: String? }
        var arns: [String] = []
        var token: String?
        repeat {
            let out: Output = try aws.callJSON("ListTasks", Input(cluster: cluster, serviceName: serviceName, desiredStatus: desiredStatus, nextToken: token))
            arns += out.taskArns ?? []
            token = out.nextToken
        } while token != nil
        return arns
    }

    public func describeTaskDefinition(_ taskDefinition: String) throws(AWSError) -> ECSTaskDefinition {
        struct Input: Encodable { var taskDefinition: String }
        struct Output: Decodable { var taskDefinition: ECSTaskDefinition }
        let out: Output = try aws.callJSON("DescribeTaskDefinition", Input(taskDefinition: taskDefinition))
        return out.taskDefinition
    }

    /// Every task definition ARN of `family` with `status`, all pages (order not relied on: moto ignores `sort`).
    public func listTaskDefinitions(family: String, status: String = "ACTIVE") throws(AWSError) -> [String] {
        struct Input: Encodable { var familyPrefix: String; var status: String; var sort: String; var nextToken: String? }
        struct Output: Decodable { var taskDefinitionArns: [String]?; var nextToken: String? }
        var arns: [String] = []
        var token: String?
        repeat {
            let out: Output = try aws.callJSON("ListTaskDefinitions", Input(familyPrefix: family, status: status, sort: "DESC", nextToken: token))
            arns += out.taskDefinitionArns ?? []
            token = out.nextToken
        } while token != nil
        return arns
    }

    /// UpdateService with a task definition (pass the full ARN) and/or a forced new deployment.
    @discardableResult
    public func updateService(cluster: String, service: String, taskDefinition: String? = nil,
                              forceNewDeployment: Bool = false) throws(AWSError) -> ECSServiceDescription? {
        struct Input: Encodable { var cluster: String; var service: String; var taskDefinition: String?; var forceNewDeployment: Bool? }
        struct Output: Decodable { var service: ECSServiceDescription? }
        let out: Output = try aws.callJSON("UpdateService", Input(cluster: cluster, service: service, taskDefinition: taskDefinition,
                                                                  forceNewDeployment: forceNewDeployment ? true : nil))
        return out.service
    }
}
