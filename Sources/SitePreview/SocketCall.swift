import Glibc
import SystemIO

/// A socket call made through SystemIO's ``SystemCall`` (the one place that retries `EINTR`), with
/// `EAGAIN` on a non-blocking socket reported as "not now" instead of as a failure.
enum SocketCall {
    /// What a call on a non-blocking socket came to.
    enum Outcome: Equatable {
        /// It succeeded with this result (a byte count, a descriptor, 0).
        case done(Int)
        /// The socket is not ready; poll and try again.
        case wouldBlock
        /// It failed with this `errno`.
        case failed(Int32)
    }

    /// Calls `body` (a C call that returns -1 and sets `errno` on failure); `name` is the call, for messages.
    static func run(_ name: String, _ body: () -> Int) -> Outcome {
        do throws(SystemCallError) {
            return .done(try SystemCall.retryingInterrupts(name, body))
        } catch where error.code == EAGAIN || error.code == EWOULDBLOCK {
            return .wouldBlock
        } catch {
            return .failed(error.code)
        }
    }

    /// Calls `body` while setting up the listener; any failure throws `PreviewError.socket(name, errno)`.
    @discardableResult
    static func require(_ name: String, _ body: () -> Int) throws(PreviewError) -> Int {
        do throws(SystemCallError) {
            return try SystemCall.retryingInterrupts(name, body)
        } catch {
            throw PreviewError.socket(error.call, error.code)
        }
    }
}
