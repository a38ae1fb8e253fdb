#if canImport(Glibc)
import Glibc
#endif

/// A file that could not be read: which one, why (the system's reason, or the size limit), and
/// what to do about it.
public struct FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Nothing at the path (`ENOENT`), or a part of it is not a folder (`ENOTDIR`).
        case notFound
        /// The system refused (no access, a folder, an I/O error, ...); `systemCall` says which.
        case system
        /// The file holds more than `limit` bytes; reading stopped there.
        case tooLarge
        /// Not a regular file (`kind`) where only regular files are read; it was not opened.
        case notRegularFile
    }

    public var code: Code
    public var path: String
    /// The call that failed and its `errno`, for `.notFound` and `.system`.
    public var systemCall: SystemCallError?
    /// The most bytes the caller reads from this file.
    public var limit: Int
    /// What the path names, for `.notRegularFile`.
    public var kind: FileKind?

    public init(code: Code, path: String, systemCall: SystemCallError? = nil, limit: Int, kind: FileKind? = nil) {
        self.code = code
        self.path = path
        self.systemCall = systemCall
        self.limit = limit
        self.kind = kind
    }

    /// The error for a failed syscall on `path`.
    init(path: String, limit: Int, failed call: SystemCallError) {
        let missing = call.code == ENOENT || call.code == ENOTDIR
        self.init(code: missing ? .notFound : .system, path: path, systemCall: call, limit: limit)
    }

    /// `errno` of the failed call, 0 when no call failed (too large, not a regular file).
    public var errnoCode: Int32 { systemCall?.code ?? 0 }

    /// Why, in the system's words where it has them: "Permission denied", "Is a directory",
    /// "larger than 16 MiB, the most read from it".
    public var reason: String {
        switch code {
        case .notFound, .system: return systemCall?.reason ?? "unknown error"
        case .tooLarge: return "larger than \(Self.size(limit)), the most read from it"
        case .notRegularFile: return "it is \(kind?.description ?? "not a regular file"), not a regular file"
        }
    }

    /// What to do next.
    public var advice: String {
        switch code {
        case .notFound: return "check the path"
        case .tooLarge: return "check that it is the right file"
        case .notRegularFile: return "only regular files are read from a folder, so that nothing waits on a pipe"
        case .system:
            switch errnoCode {
            case EACCES, EPERM: return "check its owner and permissions (ls -l)"
            case EISDIR: return "give the path of a file, not a folder"
            case ELOOP: return "check the symbolic links on the way to it"
            default: return "check the file and the disk it is on"
            }
        }
    }

    public var description: String { "cannot read \(path): \(reason); \(advice)" }

    /// `16 MiB`, `64 KiB`, `100 bytes`.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }
}
