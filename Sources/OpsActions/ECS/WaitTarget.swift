/// What a stability wait waits for: a deployment, a task definition, both, or neither.
public struct WaitTarget: Sendable, Equatable {
    /// The deployment to follow (the new PRIMARY in UpdateService's reply); nil: the PRIMARY seen first.
    public var deploymentID: String?
    /// The task definition the service must settle on; nil: any.
    public var taskDefinition: TaskDefinitionRef?

    public init(deploymentID: String? = nil, taskDefinition: TaskDefinitionRef? = nil) {
        self.deploymentID = deploymentID
        self.taskDefinition = taskDefinition
    }

    /// Neither: `services-stable`, plus failing on a deployment that fails or is rolled back.
    public static let any = WaitTarget()
}
