import Dispatch
import Synchronization

/// A one-way flag: set once (a cancelled task, Ctrl-C), seen by blocking work on other threads,
/// which checks it, sleeps on it or waits for it.
public final class CancelFlag: Sendable {
    private struct State {
        var isSet = false
        var nextID = 0
        var onSet: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var isSet: Bool { state.withLock { $0.isSet } }

    /// Sets the flag and wakes whoever sleeps or waits on it. Setting it again does nothing.
    public func set() {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.isSet else { return [] }
            state.isSet = true
            defer { state.onSet = [:] }
            return Array(state.onSet.values)
        }
        for action in actions { action() }
    }

    /// Sleeps the calling thread for `seconds`, or less once the flag is set: the waits of work
    /// that nobody waits for any more end early.
    public func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        let wake = DispatchSemaphore(value: 0)
        guard let id = whenSet({ wake.signal() }) else { return }
        _ = wake.wait(timeout: .now() + seconds)
        forget(id)
    }

    /// Returns once the flag is set, or the awaiting task is cancelled.
    public func wait() async {
        let once = ResumeOnce<Void>()
        guard let id = whenSet({ once.resume(.success(())) }) else { return }
        defer { forget(id) }
        await withTaskCancellationHandler {
            _ = try? await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                once.set(continuation)
            }
        } onCancel: {
            once.resume(.success(()))
        }
    }

    /// Registers `action` for when the flag is set; nil (and `action` not kept) when it already is.
    private func whenSet(_ action: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { state in
            guard !state.isSet else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.onSet[id] = action
            return id
        }
    }

    private func forget(_ id: Int) {
        _ = state.withLock { $0.onSet.removeValue(forKey: id) }
    }
}
