/// What an operator checks on a database: state, engine, size, where it listens, and its backups.
public struct DBInstanceStatus: Codable, Sendable, Equatable {
    public var identifier: String
    /// `available`, `backing-up`, `modifying`, `stopped`, `failed`, ...
    public var status: String
    public var engine: String
    public var engineVersion: String
    public var instanceClass: String
    /// Allocated storage in GiB.
    public var allocatedStorageGiB: Int?
    public var storageType: String?
    public var endpointAddress: String?
    public var endpointPort: Int?
    public var multiAZ: Bool
    /// Days automated backups are kept (0: automated backups are off).
    public var backupRetentionDays: Int?
    /// The latest time a point-in-time restore can reach (ISO 8601, as RDS gives it).
    public var latestRestorableTime: String?

    /// States in which the database serves queries.
    public static let servingStates: Set<String> = [
        "available", "backing-up", "modifying", "configuring-enhanced-monitoring", "configuring-log-exports",
        "storage-optimization", "maintenance",
    ]

    /// Whether the instance is in a state that serves queries.
    public var isServing: Bool { Self.servingStates.contains(status) }

    init(xml node: XMLTree) {
        identifier = node.value("DBInstanceIdentifier") ?? ""
        status = node.value("DBInstanceStatus") ?? "unknown"
        engine = node.value("Engine") ?? ""
        engineVersion = node.value("EngineVersion") ?? ""
        instanceClass = node.value("DBInstanceClass") ?? ""
        allocatedStorageGiB = node.value("AllocatedStorage").flatMap { Int($0) }
        storageType = node.value("StorageType")
        let endpoint = node.first("Endpoint")
        endpointAddress = endpoint?.value("Address")
        endpointPort = endpoint?.value("Port").flatMap { Int($0) }
        multiAZ = node.value("MultiAZ")?.lowercased() == "true"
        backupRetentionDays = node.value("BackupRetentionPeriod").flatMap { Int($0) }
        latestRestorableTime = node.value("LatestRestorableTime").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `label  value` lines for the terminal.
    public var report: [(label: String, value: String)] {
        var rows: [(label: String, value: String)] = [
            ("instance", identifier),
            ("status", status),
            ("engine", engineVersion.isEmpty ? engine : "\(engine) \(engineVersion)"),
            ("class", instanceClass),
        ]
        var storage = allocatedStorageGiB.map { "\($0) GiB" } ?? "-"
        if let t = storageType { storage += " (\(t))" }
        rows.append(("storage", storage))
        rows.append(("endpoint", endpointAddress.map { a in endpointPort.map { "\(a):\($0)" } ?? a } ?? "- (no endpoint yet)"))
        rows.append(("multi-az", multiAZ ? "yes" : "no"))
        rows.append(("backups", backupRetentionDays.map { $0 == 0 ? "off (retention 0 days)" : "kept \($0) days" } ?? "-"))
        rows.append(("restorable to", latestRestorableTime ?? "-"))
        return rows
    }
}
