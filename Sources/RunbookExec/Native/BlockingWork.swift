import Foundation

/// Runs blocking OpsActions work (curl, socket reads, thread sleeps) on its own thread, so the
/// awaiting task returns as soon as it is cancelled (a step timeout or Ctrl-C) instead of waiting
/// for the work; the abandoned work ends on its own (every request and wait it makes is bounded).
enum BlockingWork {
    static func run<T: Sendable>(cancel: CancelFlag? = nil, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try Task.checkCancellation()
        let once = ResumeOnce<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                once.set(continuation)
                let thread = Thread {
                    once.resume(Result { try work() })
                }
                thread.stackSize = 4 << 20
                thread.start()
            }
        } onCancel: {
            cancel?.set()
            once.resume(.failure(CancellationError()))
        }
    }
}

/// Resumes a continuation exactly once, whichever of the work and the cancellation comes first
/// (a cancellation that comes before the continuation exists is kept until it does).
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var pending: Result<T, any Error>?
    private var done = false

    func set(_ c: CheckedContinuation<T, any Error>) {
        lock.lock()
        if let pending {
            done = true
            self.pending = nil
            lock.unlock()
            c.resume(with: pending)
            return
        }
        continuation = c
        lock.unlock()
    }

    func resume(_ result: Result<T, any Error>) {
        lock.lock()
        if done {
            lock.unlock()
            return
        }
        guard let c = continuation else {
            if pending == nil { pending = result }
            lock.unlock()
            return
        }
        done = true
        continuation = nil
        lock.unlock()
        c.resume(with: result)
    }
}

/// Set once the awaiting task is cancelled; sleeps of abandoned work end early on it.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}
