import Glibc

/// Why the preview server could not start.
public enum PreviewError: Error, CustomStringConvertible {
    case portInUse(UInt16)
    case socket(String, Int32)

    public var description: String {
        switch self {
        case .portInUse(let port): return "port \(port) on 127.0.0.1 is already in use; pass another with --port N"
        case .socket(let call, let code): return "cannot listen on 127.0.0.1 (\(call): \(String(cString: strerror(code))))"
        }
    }
}
