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
