import Glibc

/// Why the preview server could not start, or stopped.
public enum PreviewError: Error, CustomStringConvertible {
    case portInUse(UInt16)
    /// Setting up the listening socket failed: the call and its `errno`.
    case socket(String, Int32)
    /// ``PreviewServer/run()`` was called before ``PreviewServer/bind(port:)`` succeeded.
    case notBound
    /// Serving failed after it started: the call and its `errno`.
    case serving(String, Int32)

    public var description: String {
        switch self {
        case .portInUse(let port): return "port \(port) on 127.0.0.1 is already in use; pass another with --port N"
        case .socket(let call, let code): return "cannot listen on 127.0.0.1 (\(call): \(String(cString: strerror(code))))"
        case .notBound: return "the preview server was run before it was bound to a port (a bug in runbook)"
        case .serving(let call, let code):
            return "the preview server stopped (\(call): \(String(cString: strerror(code)))); start runbook serve again"
        }
    }
}
