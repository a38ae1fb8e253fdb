import Synchronization

/// Resumes a continuation exactly once, whichever of the work and a cancellation comes first; a
/// result that comes before the continuation exists is kept until it does.
final class ResumeOnce<T: Sendable>: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<T, any Error>)
        case pending(Result<T, any Error>)
        case done
    }

    private let state = Mutex<State>(.idle)

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        let ready: Result<T, any Error>? = state.withLock { state in
            guard case .pending(let result) = state else {
                if case .idle = state { state = .waiting(continuation) }
                return nil
            }
            state = .done
            return result
        }
        if let ready { continuation.resume(with: ready) }
    }

    func resume(_ result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = state.withLock { state in
            switch state {
            case .idle:
                state = .pending(result)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .pending, .done:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
