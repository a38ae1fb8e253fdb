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
        // Refuse at once a log of the other key mode, before a run starts (append checks again).
        while flock(fd, LOCK_SH) != 0 {
            guard errno == EINTR else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        if let mode = try readTail().mode, mode != chain.mode {
            throw ModeMismatchError(path: path, logMode: mode)
        }
    }

    deinit { close(fd) }

    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot write the audit log \(path): \(reason)" }
    }

    /// The log holds records of the other chain mode: one log is keyed or unkeyed from its first
    /// record on, so that it always verifies one way.
    public struct ModeMismatchError: Error, CustomStringConvertible {
        public var path: String
        /// The mode of the log's records (`sha256` or `hmac-sha256`).
        public var logMode: String

        public var description: String {
            if logMode == "hmac-sha256" {
                return "the audit log \(path) is HMAC-signed but RUNBOOK_AUDIT_KEY is not set: set it to the log's key, or use another log (RUNBOOK_AUDIT_LOG)"
            }
            return "the audit log \(path) is not keyed (sha256) but RUNBOOK_AUDIT_KEY is set: unset it for this log, or start a keyed log elsewhere (RUNBOOK_AUDIT_LOG)"
        }
    }

    /// Appends `record` (filling in `mode` and `prev`) and returns its hash, the new chain head.
    ///
    /// A torn last line (a writer killed mid-write) is cut off first and noted in the new record,
    /// so the file never holds a line that is not a record: `audit verify` treats one as tampering.
    @discardableResult
    public func append(_ record: AuditRecord) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        let tail = try readTail()
        if let mode = tail.mode, mode != chain.mode {
            throw ModeMismatchError(path: path, logMode: mode)
        }
        var r = record
        r.mode = chain.mode
        r.prev = tail.head
        if let torn = tail.torn {
            guard ftruncate(fd, off_t(tail.goodEnd)) == 0 else {
                throw WriteError(path: path, reason: "cannot cut the torn last line: " + String(cString: strerror(errno)))
            }
            r.tornTail = "\(torn.count) bytes, sha256 \(sha256Hex(torn)), cut at byte \(tail.goodEnd): an interrupted write"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var body = Array(try encoder.encode(r))
        let hash = chain.hash(body)
        body.removeLast()
        let line = body + AuditChain.hashPrefix + Array(hash.utf8) + Array("\"}\n".utf8)
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

    /// The end of the log: the hash and mode of the last complete record, the byte offset just
    /// past it, and the bytes after it when the last line is torn (no newline at the end).
    struct Tail {
        var head = AuditChain.genesis
        var mode: String?
        var goodEnd = 0
        var torn: [UInt8]?
    }

    private func readTail() throws -> Tail {
        let size = Int(lseek(fd, 0, SEEK_END))
        guard size > 0 else { return Tail() }
        var window = 64 * 1024
        while true {
            let start = max(0, size - window)
            var buffer = [UInt8](repeating: 0, count: size - start)
            var filled = 0
            while filled < buffer.count {
                let n = buffer[filled...].withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start + filled)) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw WriteError(path: path, reason: "cannot read its end: " + String(cString: n < 0 ? strerror(errno) : strerror(EIO))) }
                filled += n
            }
            var tail = Tail()
            // Bytes after the last newline are a torn line.
            let lastNewline = buffer.lastIndex(of: UInt8(ascii: "\n"))
            if lastNewline != buffer.count - 1 {
                let from = lastNewline.map { $0 + 1 } ?? 0
                if lastNewline != nil || start == 0 { tail.torn = Array(buffer[from...]) }
            }
            guard let end = lastNewline else {
                if start == 0 { return tail }
                window *= 4
                continue
            }
            tail.goodEnd = start + end + 1
            // The last complete line; the window must hold all of it.
            let lineStart = buffer[..<end].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }
            guard lineStart != nil || start == 0 else {
                window *= 4
                continue
            }
            let line = Array(buffer[(lineStart ?? 0)..<end])
            guard let parts = AuditChain.split(line: line),
                  let record = try? JSONDecoder().decode(AuditRecord.self, from: Data(parts.body)) else {
                throw WriteError(path: path, reason: "its last line is not an audit record; run `runbook audit verify --log \(path)`")
            }
            tail.head = parts.hash
            tail.mode = record.mode
            return tail
        }
    }
}
