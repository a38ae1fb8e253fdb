#if canImport(Glibc)
import Glibc
#endif

/// A syscall that failed: its name and the system's error number.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call that failed (`open`, `read`, ...).
    public var call: String
    /// `errno` after the call.
    public var code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// The system's words for `code` (`strerror`), e.g. "Permission denied".
    public var reason: String { String(cString: strerror(code)) }

    public var description: String { "\(call): \(reason)" }
}
