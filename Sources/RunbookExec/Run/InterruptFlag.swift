import Foundation
import Synchronization
import SystemIO
#if canImport(Glibc)
import Glibc
#endif

/// Set when the operator presses Ctrl-C; the runner stops the current step and ends the run.
public final class InterruptFlag: Sendable {
    private let flag = CancelFlag()
    /// The SIGINT source, kept for as long as the flag lives.
    private let source = Mutex<(any DispatchSourceSignal)?>(nil)

    public init() {}

    public var isSet: Bool { flag.isSet }

    public func set() {
        flag.set()
    }

    /// Returns once the flag is set (or the awaiting task is cancelled).
    public func wait() async {
        await flag.wait()
    }

    /// Routes SIGINT to this flag (instead of killing the process) for as long as it lives. A
    /// second Ctrl-C exits at once (status 130); the audit log then shows the run as interrupted.
    public func installSIGINTHandler() {
        signal(SIGINT, SIG_IGN)
        let flag = self.flag
        source.withLock { source in
            let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
            s.setEventHandler {
                if flag.isSet {
                    FileHandle.standardError.write(Data("\nrunbook: second Ctrl-C: exiting now; the run has no run-end record\n".utf8))
                    _exit(130)
                }
                flag.set()
                FileHandle.standardError.write(Data("\nrunbook: Ctrl-C: stopping the current step (press again to exit at once)\n".utf8))
            }
            s.resume()
            source = s
        }
    }
}
