#if canImport(Glibc)
import Glibc
#endif

/// The one place that makes a blocking syscall and retries it when a signal interrupts it.
///
/// As in swift-nio: a call that fails with `EINTR` is made again; any other failure (-1) throws a
/// ``SystemCallError`` with the call's name and `errno`, for the caller to put in context (which
/// file, what to do).
public enum SystemCall {
    /// Calls `body` until it returns something other than -1 with `errno` `EINTR`.
    ///
    /// `name` is what failed, for the message (`open`, `read`, `fstat`).
    @discardableResult
    public static func retryingInterrupts<Result: SignedInteger>(
        _ name: String, _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: name, code: code)
        }
    }
}
