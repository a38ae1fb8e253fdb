import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The append-only audit log: JSON Lines, one record per event, hash-chained.
///
/// Each append takes an exclusive `flock` (runs of other services may share the file), reads the
/// chain head from the file's last record, writes the record with a single `write(2)` and
/// `fsync`s it before returning. The file is created 0600 (folders 0700).
public final class AuditLog: @unchecked Sendable {
    // @unchecked: the file descriptor is only used under `lock`.
    public let path: String
    let chain: AuditChain
    private let fd: Int32
    private let lock = NSLock()
    public private(set) var head: String = AuditChain.genesis
    public private(set) var recordsWritten = 0
    private var mirrorStorage: (any AuditMirror)?

    /// Told about every record after it is synced to disk (the CloudWatch Logs copy).
    public var mirror: (any AuditMirror)? {
        get { lock.withLock { mirrorStorage } }
        set { lock.withLock { mirrorStorage = newValue } }
    }

    /// The log's path: `RUNBOOK_AUDIT_LOG`, else `~/.local/state/runbook/audit.jsonl`
    /// (`$XDG_STATE_HOME/runbook/audit.jsonl` when that is set).
    public static func defaultPath(environment: [String: String]) -> String {
        if let p = environment["RUNBOOK_AUDIT_LOG"], !p.isEmpty { return p }
        return stateDirectory(environment: environment) + "/audit.jsonl"
    }

    /// `$XDG_STATE_HOME/runbook`, else `~/.local/state/runbook`.
    public static func stateDirectory(environment: [String: String]) -> String {
        if let s = environment["RUNBOOK_STATE_DIR"], !s.isEmpty { return s }
        if let x = environment["XDG_STATE_HOME"], !x.isEmpty { return x + "/runbook" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/runbook"
    }

    public struct OpenError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot open the audit log \(path): \(reason); set RUNBOOK_AUDIT_LOG to a writable file" }
    }

    public init(path: String, key: String?) throws {
        self.path = path
        self.chain = AuditChain(key: key)
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
    }

    deinit { close(fd) }

    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot write the audit log \(path): \(reason)" }
    }

    /// Appends `record` (filling in `mode` and `prev`) and returns its hash, the new chain head.
    @discardableResult
    public func append(_ record: AuditRecord) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        let tail = readTail()
        var r = record
        r.mode = chain.mode
        r.prev = tail.head
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var body = Array(try encoder.encode(r))
        let hash = chain.hash(body)
        body.removeLast()
        var line: [UInt8] = tail.endsWithNewline ? [] : [UInt8(ascii: "\n")]
        line += body + AuditChain.hashPrefix + Array(hash.utf8) + Array("\"}\n".utf8)
        var written = 0
        while written < line.count {
            let n = line[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw WriteError(path: path, reason: "fsync: " + String(cString: strerror(errno))) }
        head = hash
        recordsWritten += 1
        mirrorStorage?.recordAppended()
        return hash
    }

    /// The hash of the last complete record, and whether the file ends with a newline (a run
    /// killed mid-write leaves a torn line; the next record starts on a line of its own).
    private func readTail() -> (head: String, endsWithNewline: Bool) {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return (AuditChain.genesis, true) }
        var window = 64 * 1024
        while true {
            let start = max(0, Int(size) - window)
            var buffer = [UInt8](repeating: 0, count: Int(size) - start)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
            guard n > 0 else { return (AuditChain.genesis, true) }
            buffer = Array(buffer[..<n])
            let endsWithNewline = buffer.last == UInt8(ascii: "\n")
            let lines = buffer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            // The first piece of a window may be a partial line; skip it unless the window is the whole file.
            for (i, piece) in lines.enumerated().reversed() where start == 0 || i > 0 {
                if let parsed = AuditChain.split(line: Array(piece)) { return (parsed.hash, endsWithNewline) }
            }
            if start == 0 { return (AuditChain.genesis, endsWithNewline) }
            window *= 4
        }
    }
}
