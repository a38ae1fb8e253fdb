/// AWS settings that cannot be resolved: no credentials, no region, a bad endpoint or profile.
public struct AWSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
