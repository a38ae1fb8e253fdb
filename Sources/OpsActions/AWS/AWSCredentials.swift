/// An access key pair (and session token) that signs AWS requests; never printed.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Where they came from, for messages (`environment`, `~/.aws/credentials [default]`, ...).
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String = "given") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// Shows the key id and the source only: the secret and token never reach a log or a terminal.
    public var description: String { "AWSCredentials(\(accessKeyID) from \(source))" }
}
