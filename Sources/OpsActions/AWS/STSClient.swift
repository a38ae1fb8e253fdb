/// STS over the query protocol: who the credentials belong to.
public struct STSClient: Sendable {
    public var aws: AWSClient

    public init(_ aws: AWSClient) { self.aws = aws }

    public init(settings: AWSSettings, transport: any HTTPTransport = CurlTransport(), timeout: Double = 30) {
        aws = AWSClient(service: .sts, settings: settings, transport: transport, timeout: timeout)
    }

    /// The caller's account, ARN and user id.
    public struct CallerIdentity: Codable, Sendable, Equatable {
        public var account: String
        public var arn: String
        public var userID: String
    }

    public func getCallerIdentity() throws(AWSError) -> CallerIdentity {
        let xml = try aws.callQuery("GetCallerIdentity")
        guard let account = xml.value("Account"), let arn = xml.value("Arn") else {
            throw AWSError(service: "STS", operation: "GetCallerIdentity",
                           reason: .unreadableResponse(status: 200, detail: "no Account or Arn in the reply", requestID: xml.value("RequestId")))
        }
        return CallerIdentity(account: account, arn: arn, userID: xml.value("UserId") ?? "")
    }
}
