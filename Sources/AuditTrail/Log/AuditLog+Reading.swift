import SystemIO

extension AuditLog {
    /// The most of an audit log read at once (verify, show, timeline, the CloudWatch check, the
    /// mirror's catch-up): hundreds of thousands of records.
    public static let readLimit = 256 << 20

    /// The bytes of the log at `path` from byte `offset` on, through ``FileReader``.
    static func contents(of path: String, from offset: Int = 0) throws(FileReadError) -> [UInt8] {
        try FileReader.read(path: path, limit: readLimit, from: offset)
    }

    /// Why the log could not be read and what to do, for "cannot read the audit log PATH: ...".
    static func reason(_ error: FileReadError) -> String {
        error.code == .tooLarge
            ? "\(error.reason); move it aside and keep it (the next run starts a new log)"
            : "\(error.reason); \(error.advice)"
    }
}
