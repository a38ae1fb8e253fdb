import Foundation

/// Runs blocking work (a child process, a read of the terminal, a curl transfer, a condition
/// wait) on a thread of its own, so the awaiting task suspends instead of holding one of the
/// cooperative pool's few threads, and a cancellation of that task reaches the work.
///
/// This is the one way the project waits on something that blocks. Not `Task.detached` (its
/// closure still runs on the pool) and not a plain call from an `async` function: with two cores
/// the pool has two threads, and two blocked calls stall every other task of the process.
public enum BlockingWork {
    /// What a cancellation of the awaiting task does (in both cases the work's `CancelFlag` is set).
    public enum WhenCancelled: Sendable {
        /// The call throws `CancellationError` at once; the work is left to end on its own (every
        /// wait it makes must be bounded) and its result is dropped. For work whose result no
        /// longer matters once nobody waits for it (a request, a probe).
        case abandon
        /// The call keeps waiting for the work, which must end promptly once its flag is set and
        /// say so in its result (a step's process group killed, a question answered "no").
        case finish
    }

    /// Runs `work` on a new thread and returns (or throws) what it does. A task that is already
    /// cancelled throws `CancellationError` and the work never starts.
    public static func run<T: Sendable>(cancel: CancelFlag? = nil, whenCancelled: WhenCancelled = .abandon,
                                        _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try Task.checkCancellation()
        let once = ResumeOnce<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                once.set(continuation)
                let thread = Thread {
                    once.resume(Result { try work() })
                }
                // Curl and the AWS clients parse replies on this thread: more than the 512 KiB default.
                thread.stackSize = 4 << 20
                thread.start()
            }
        } onCancel: {
            // Abandoned: the call ends first, so what the work does once told cannot win the race.
            if whenCancelled == .abandon { once.resume(.failure(CancellationError())) }
            cancel?.set()
        }
    }
}
