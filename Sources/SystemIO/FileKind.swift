#if canImport(Glibc)
import Glibc
#endif

/// What a path names, from the file type bits of `stat`.
public enum FileKind: Sendable, Equatable, CustomStringConvertible {
    case regular
    case directory
    /// A named pipe, or an anonymous one reached through `/dev/fd/N` (`<(...)` in bash).
    case fifo
    /// `/dev/null`, a terminal, ...
    case characterDevice
    case blockDevice
    case socket
    case symbolicLink
    case unknown

    public init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .fifo
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socket
        case S_IFLNK: self = .symbolicLink
        default: self = .unknown
        }
    }

    /// With an article, for messages: "a FIFO (named pipe)".
    public var description: String {
        switch self {
        case .regular: return "a regular file"
        case .directory: return "a folder"
        case .fifo: return "a FIFO (named pipe)"
        case .characterDevice: return "a character device"
        case .blockDevice: return "a block device"
        case .socket: return "a socket"
        case .symbolicLink: return "a symbolic link"
        case .unknown: return "an unknown kind of file"
        }
    }
}
