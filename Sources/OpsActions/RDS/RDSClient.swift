/// RDS over the query protocol: `DescribeDBInstances`, the database status `runbook rds status` shows.
public struct RDSClient: Sendable {
    public var aws: AWSClient

    public init(_ aws: AWSClient) { self.aws = aws }

    /// The RDS client for resolved settings, over libcurl.
    public init(settings: AWSSettings, transport: any HTTPTransport = CurlTransport(), timeout: Double = 30) {
        aws = AWSClient(service: .rds, settings: settings, transport: transport, timeout: timeout)
    }

    /// The instance called `identifier`; an unknown one is `RDSError.instanceNotFound` naming it.
    public func describeDBInstance(_ identifier: String) throws(RDSError) -> DBInstanceStatus {
        let xml: XMLTree
        do {
            xml = try aws.callQuery("DescribeDBInstances", parameters: [(name: "DBInstanceIdentifier", value: identifier)])
        } catch {
            if error.code == "DBInstanceNotFound" || error.code == "DBInstanceNotFoundFault" {
                throw RDSError.instanceNotFound(identifier: identifier, region: aws.settings.region)
            }
            throw RDSError.aws(error)
        }
        let instances = xml.first("DBInstances")?.children("DBInstance") ?? []
        guard let node = instances.first(where: { $0.value("DBInstanceIdentifier") == identifier }) ?? instances.first else {
            throw RDSError.instanceNotFound(identifier: identifier, region: aws.settings.region)
        }
        return DBInstanceStatus(xml: node)
    }
}
