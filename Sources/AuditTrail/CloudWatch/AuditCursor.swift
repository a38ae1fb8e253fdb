import Foundation

/// How far a local audit log has been copied to one CloudWatch Logs stream: a small JSON file in
/// the state folder, one per (log file, group, stream), read and written under an exclusive lock
/// so two runs on one machine never send the same records twice or out of order.
struct AuditCursor: Codable, Equatable {
    var log: String
    var group: String
    var stream: String
    /// Byte offset in the log just past the last record CloudWatch accepted.
    var offset = 0
    /// Lines before `offset`.
    var lines = 0
    /// The chain value of that record: if the file no longer has it there, the log was replaced.
    var lastHash = AuditChain.genesis
    /// Records sent so far.
    var sent = 0
    /// The timestamp (ms) sent with that record. CloudWatch keeps a stream in timestamp order, so
    /// no later record is sent dated before it (nil in cursors written before it was kept).
    var lastTimestamp: Int64?

    enum CodingKeys: String, CodingKey {
        case log, group, stream, offset, lines, sent
        case lastHash = "last_hash"
        case lastTimestamp = "last_timestamp"
    }

    /// `<state>/cloudwatch/<16 hex of sha256(log, group, stream)>.json`.
    static func path(stateDirectory: String, log: String, group: String, stream: String) -> String {
        let key = sha256Hex(Data("\(log)\n\(group)\n\(stream)".utf8)).prefix(16)
        return "\(stateDirectory)/cloudwatch/\(key).json"
    }
}
