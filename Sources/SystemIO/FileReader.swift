#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file of any kind a user may name, up to a size limit: the one way runbook reads
/// config, credentials, runbook.toml, docs, theme files and its own state.
///
/// Regular files, character devices (`/dev/null` reads as empty) and FIFOs or pipes
/// (`/dev/fd/N`, bash's `<(...)`) read as `cat` reads them. Foundation's
/// `FileManager.contents(atPath:)` returns nil for the last two on Linux, and `Data(contentsOf:)`
/// has no limit. Every syscall goes through ``SystemCall``; every failure is a
/// ``FileReadError`` naming the file and the system's reason.
public enum FileReader {
    /// 16 MiB: far more than any config, credentials or token file holds.
    public static let defaultLimit = 16 << 20

    /// Which files are opened.
    public enum Accepting: Sendable, Equatable {
        /// Whatever reads like a file: for a path the user named (`--config`, `AWS_CONFIG_FILE`).
        /// Opening a FIFO waits for its writer, as `cat` does.
        case anyFile
        /// Regular files only: for paths found by walking a folder. Anything else is refused with
        /// `.notRegularFile` before it is opened: a stray FIFO never blocks the walk (and is never
        /// opened, which would wake its writer only to break its pipe).
        case regularFilesOnly
    }

    /// The bytes of `path` from byte `offset` on; throws `.tooLarge` once more than `limit` bytes
    /// come (never reading more than one byte past it).
    public static func read(path: String, limit: Int = defaultLimit, from offset: Int = 0,
                            accepting: Accepting = .anyFile) throws(FileReadError) -> [UInt8] {
        @discardableResult
        func attempt<R: SignedInteger>(_ name: String, _ body: () -> R) throws(FileReadError) -> R {
            do {
                return try SystemCall.retryingInterrupts(name, body)
            } catch {
                throw FileReadError(path: path, limit: limit, failed: error)
            }
        }
        func refuse(_ kind: FileKind) -> FileReadError {
            kind == .directory
                ? FileReadError(path: path, limit: limit, failed: SystemCallError(call: "read", code: EISDIR))
                : FileReadError(code: .notRegularFile, path: path, limit: limit, kind: kind)
        }

        var flags = O_RDONLY | O_CLOEXEC
        if accepting == .regularFilesOnly {
            // Look before opening: opening a FIFO is what must not happen.
            var st = stat()
            try attempt("stat") { stat(path, &st) }
            let kind = FileKind(mode: st.st_mode)
            guard kind == .regular else { throw refuse(kind) }
            // Should it turn into a FIFO between stat and open, opening still returns at once.
            flags |= O_NONBLOCK
        }
        let fd = try attempt("open") { open(path, flags) }
        // close(2) is not retried: on Linux the descriptor is gone even when it reports EINTR.
        defer { close(fd) }
        var st = stat()
        try attempt("fstat") { fstat(fd, &st) }
        let kind = FileKind(mode: st.st_mode)
        if kind == .directory || (accepting == .regularFilesOnly && kind != .regular) { throw refuse(kind) }
        if offset > 0 { try attempt("lseek") { lseek(fd, off_t(offset), SEEK_SET) } }

        var bytes: [UInt8] = []
        if kind == .regular {
            let expected = max(0, Int(st.st_size) - offset)
            if expected > limit { throw FileReadError(code: .tooLarge, path: path, limit: limit) }
            bytes.reserveCapacity(expected + 1)
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let want = min(chunk.count, limit + 1 - bytes.count)
            let got = try attempt("read") {
                chunk.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, want) }
            }
            if got == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<got])
            if bytes.count > limit { throw FileReadError(code: .tooLarge, path: path, limit: limit) }
        }
    }

    /// Like ``read(path:limit:from:accepting:)``, but nil when nothing is at `path` (a missing
    /// file that is optional, such as `~/.aws/config`).
    public static func readIfPresent(path: String, limit: Int = defaultLimit,
                                     accepting: Accepting = .anyFile) throws(FileReadError) -> [UInt8]? {
        do {
            return try read(path: path, limit: limit, accepting: accepting)
        } catch {
            if error.code == .notFound { return nil }
            throw error
        }
    }
}
