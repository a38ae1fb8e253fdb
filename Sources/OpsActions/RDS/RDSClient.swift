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

/// Why an RDS status failed.
public enum RDSError: Error, Sendable, CustomStringConvertible {
    case aws(AWSError)
    case instanceNotFound(identifier: String, region: String)

    public var description: String {
        switch self {
        case .aws(let e): return e.description
        case .instanceNotFound(let id, let region):
            return "RDS instance \(id) not found in \(region); check the identifier (db_instance in runbook.toml or --instance), the region and the account"
        }
    }
}
