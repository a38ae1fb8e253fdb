import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Set when the operator presses Ctrl-C; the runner stops the current step and ends the run.
public final class InterruptFlag: @unchecked Sendable {
    // @unchecked: the flag is guarded by `lock`.
    private let lock = NSLock()
    private var value = false
    private var source: (any DispatchSourceSignal)?

    public init() {}

    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    public func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    /// Routes SIGINT to this flag (instead of killing the process) for as long as it lives. A
    /// second Ctrl-C exits at once (status 130); the audit log then shows the run as interrupted.
    public func installSIGINTHandler() {
        signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
        s.setEventHandler { [weak self] in
            guard let self else { return }
            if self.isSet {
                FileHandle.standardError.write(Data("\nrunbook: second Ctrl-C: exiting now; the run has no run-end record\n".utf8))
                _exit(130)
            }
            self.set()
            FileHandle.standardError.write(Data("\nrunbook: Ctrl-C: stopping the current step (press again to exit at once)\n".utf8))
        }
        s.resume()
        source = s
    }
}
