import OpsActions

extension MotoServer {
    /// Creates a PostgreSQL instance `id` (Multi-AZ, 7 days of backups, gp3), as the seed's is.
    public func createDBInstance(_ id: String) throws {
        _ = try RDSClient(settings: settings()).aws.callQuery("CreateDBInstance", parameters: [
            (name: "DBInstanceIdentifier", value: id), (name: "Engine", value: "postgres"), (name: "EngineVersion", value: "15.4"),
            (name: "DBInstanceClass", value: "db.t3.medium"), (name: "AllocatedStorage", value: "50"),
            (name: "MasterUsername", value: "mindhit"), (name: "MasterUserPassword", value: "not-a-real-password-1"),
            (name: "MultiAZ", value: "true"), (name: "BackupRetentionPeriod", value: "7"), (name: "StorageType", value: "gp3"),
        ])
    }
}
