/// A remote copy of the audit log that `AuditLog` tells about each record once it is on disk.
///
/// The local write and `fsync` always come first and never wait for the mirror: `recordAppended`
/// only wakes the mirror up; it reads what to send from the log file itself.
public protocol AuditMirror: AnyObject, Sendable {
    /// A record was written and synced to the local log.
    func recordAppended()
    /// Sends what is still pending (bounded in time) and reports what could not be sent; the wait
    /// holds no thread of the cooperative pool.
    func finish() async
}
