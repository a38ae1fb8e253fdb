import SystemIO
extension AuditRecord.Operator {
    /// The operator `runbook exec` records on this machine: the user and host name (no AWS ARN).
    public static func current(environment: [String: String]) -> AuditRecord.Operator {
        AuditRecord.Operator(user: SystemInfo.userName(environment: environment), host: SystemInfo.hostName())
    }
}
