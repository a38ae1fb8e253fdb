/// How to reach and talk to one AWS service: names for signing, endpoints and messages, and its protocol.
///
/// A new client (Logs, RDS, S3) needs only a descriptor here and its operations on top of `AWSClient`.
public struct AWSService: Sendable, Equatable {
    /// The wire protocol a service speaks.
    public enum WireProtocol: Sendable, Equatable {
        /// awsJson1_1: POST `/`, `X-Amz-Target: <prefix>.<Operation>`, JSON both ways.
        case json(targetPrefix: String)
        /// The query protocol: form POST of `Action=...&Version=...`, XML reply.
        case query(version: String)
        /// REST with XML bodies (S3): the caller builds method, path and query.
        case restXML
    }

    /// Name in messages (`ECS`, `STS`, `CloudWatch Logs`).
    public var displayName: String
    /// SigV4 service name (`ecs`, `sts`, `logs`).
    public var signingName: String
    /// Host prefix of the default endpoint: `https://<prefix>.<region>.amazonaws.com`.
    public var endpointPrefix: String
    /// Suffix of the per-service endpoint variable: `AWS_ENDPOINT_URL_<suffix>`.
    public var endpointVariableSuffix: String
    public var wireProtocol: WireProtocol
    /// S3 signs the path as given and the payload hash as a header.
    public var isS3Style: Bool = false

    public init(displayName: String, signingName: String, endpointPrefix: String, endpointVariableSuffix: String,
                wireProtocol: WireProtocol, isS3Style: Bool = false) {
        self.displayName = displayName
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.endpointVariableSuffix = endpointVariableSuffix
        self.wireProtocol = wireProtocol
        self.isS3Style = isS3Style
    }

    public static let ecs = AWSService(displayName: "ECS", signingName: "ecs", endpointPrefix: "ecs", endpointVariableSuffix: "ECS",
                                       wireProtocol: .json(targetPrefix: "AmazonEC2ContainerServiceV20141113"))
    public static let sts = AWSService(displayName: "STS", signingName: "sts", endpointPrefix: "sts", endpointVariableSuffix: "STS",
                                       wireProtocol: .query(version: "2011-06-15"))
    public static let logs = AWSService(displayName: "CloudWatch Logs", signingName: "logs", endpointPrefix: "logs",
                                        endpointVariableSuffix: "CLOUDWATCH_LOGS", wireProtocol: .json(targetPrefix: "Logs_20140328"))
    public static let rds = AWSService(displayName: "RDS", signingName: "rds", endpointPrefix: "rds", endpointVariableSuffix: "RDS",
                                       wireProtocol: .query(version: "2014-10-31"))
    public static let s3 = AWSService(displayName: "S3", signingName: "s3", endpointPrefix: "s3", endpointVariableSuffix: "S3",
                                      wireProtocol: .restXML, isS3Style: true)
}
