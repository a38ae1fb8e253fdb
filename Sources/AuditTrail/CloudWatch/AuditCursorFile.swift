import Foundation
import SystemIO
#if canImport(Glibc)
import Glibc
#endif

/// The cursor file with its lock held; `pending()` reads what the log has past the cursor.
final class AuditCursorFile {
    let path: String
    private let lockFD: Int32
    var cursor: AuditCursor
    /// Set when the cursor did not match the log (rotated or replaced) and was reset to its start.
    private(set) var resetReason: String?

    /// Opens and locks the cursor, waiting for another run's flush to finish unless `wait` is false
    /// (then a busy cursor throws).
    init(path: String, log: String, group: String, stream: String, wait: Bool = true) throws(AuditTrailError) {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unreadableLog(path: path, reason: "cannot open the cursor lock: \(String(cString: strerror(errno)))") }
        while flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw .unreadableLog(path: path, reason: "cannot lock the cursor: \(String(cString: strerror(errno)))")
            }
        }
        lockFD = fd
        if let bytes = try? FileReader.read(path: path, accepting: .regularFilesOnly),
           let saved = try? JSONDecoder().decode(AuditCursor.self, from: Data(bytes)),
           saved.log == log, saved.group == group, saved.stream == stream {
            cursor = saved
        } else {
            cursor = AuditCursor(log: log, group: group, stream: stream)
        }
    }

    deinit {
        flock(lockFD, LOCK_UN)
        close(lockFD)
    }

    /// Records in the log past the cursor, oldest first. Reads only the tail of the file past the
    /// cursor (and the record just before it, to check the file is still the one sent from).
    func pending() throws(AuditTrailError) -> [AuditLogEntry] {
        let window = 256 * 1024
        let from = max(0, cursor.offset - window)
        let tail: [UInt8]
        do {
            tail = try AuditLog.contents(of: cursor.log, from: from)
        } catch where error.code == .notFound {
            return []
        } catch {
            throw .unreadableLog(path: cursor.log, reason: AuditLog.reason(error))
        }
        if cursor.offset > 0 && !endsWithCursorRecord(tail, from: from) {
            // Find the record elsewhere (the file was rewritten), else start over.
            let whole: [UInt8]
            do {
                whole = from == 0 ? tail : try AuditLog.contents(of: cursor.log)
            } catch {
                throw .unreadableLog(path: cursor.log, reason: AuditLog.reason(error))
            }
            if let found = AuditLogEntry.parse(whole).first(where: { $0.hash == cursor.lastHash }) {
                cursor.offset = found.endOffset
                cursor.lines = found.line
            } else {
                resetReason = "the audit log \(cursor.log) no longer holds the last record sent (it was replaced or rotated); sending it from its start"
                // The stream keeps what it has: what comes now is still dated after it.
                let lastTimestamp = cursor.lastTimestamp
                cursor = AuditCursor(log: cursor.log, group: cursor.group, stream: cursor.stream)
                cursor.lastTimestamp = lastTimestamp
            }
            return cursor.offset < whole.count
                ? AuditLogEntry.parse(Array(whole[cursor.offset...]), offset: cursor.offset, firstLine: cursor.lines + 1) : []
        }
        let start = cursor.offset - from
        guard start < tail.count else { return [] }
        return AuditLogEntry.parse(Array(tail[start...]), offset: cursor.offset, firstLine: cursor.lines + 1)
    }

    /// Whether the bytes before the cursor (`tail` starts at file offset `from`) end with the record it names.
    private func endsWithCursorRecord(_ tail: [UInt8], from: Int) -> Bool {
        let end = cursor.offset - from
        guard end >= 1, end <= tail.count, tail[end - 1] == UInt8(ascii: "\n") else { return false }
        let before = tail[..<(end - 1)]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return AuditLogEntry.parse(Array(tail[lineStart..<end])).first?.hash == cursor.lastHash
    }

    /// Moves the cursor past `entries` (accepted by CloudWatch, or refused for good), the last of
    /// them sent with `lastTimestamp`, and saves it.
    func advance(past entries: [AuditLogEntry], lastTimestamp: Int64?) {
        guard let last = entries.last else { return }
        cursor.offset = last.endOffset
        cursor.lines = last.line
        cursor.lastHash = last.hash
        cursor.sent += entries.count
        if let lastTimestamp { cursor.lastTimestamp = max(cursor.lastTimestamp ?? 0, lastTimestamp) }
        save()
    }

    private func save() {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(cursor) else { return }
        let temp = path + ".tmp"
        if FileManager.default.createFile(atPath: temp, contents: data + Data("\n".utf8), attributes: [.posixPermissions: 0o600]) {
            _ = rename(temp, path)
        }
    }
}
