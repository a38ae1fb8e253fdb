import Foundation
import OpsActions
import Synchronization
import SystemIO
#if canImport(Glibc)
import Glibc
#endif

/// Set when the operator presses Ctrl-C (or the run gets SIGTERM or SIGHUP); the runner stops the
/// current step and ends the run.
public final class InterruptFlag: Sendable {
    private let flag = CancelFlag()
    /// The signal sources, kept for as long as the flag lives.
    private let source = Mutex<[any DispatchSourceSignal]>([])

    public init() {}

    public var isSet: Bool { flag.isSet }

    public func set() {
        flag.set()
    }

    /// Returns once the flag is set (or the awaiting task is cancelled).
    public func wait() async {
        await flag.wait()
    }

    /// Routes SIGINT, SIGTERM and SIGHUP to this flag (instead of killing the process) for as long
    /// as it lives: the runner stops the current step's process group and writes the step-end and
    /// run-end records, whichever way the run is stopped (Ctrl-C, `kill`, a closed terminal or SSH
    /// session). A second signal exits at once (128 + the signal); the audit log then shows the
    /// run as interrupted, and a partial download is still removed.
    public func installSIGINTHandler() {
        let flag = self.flag
        source.withLock { sources in
            var installed: [any DispatchSourceSignal] = []
            for (sig, name) in [(SIGINT, "Ctrl-C"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
                signal(sig, SIG_IGN)
                let s = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
                s.setEventHandler {
                    if flag.isSet {
                        _ = PartialFiles.removeAll()
                        FileHandle.standardError.write(Data("\nrunbook: second \(name): exiting now; the run has no run-end record\n".utf8))
                        _exit(128 + sig)
                    }
                    flag.set()
                    FileHandle.standardError.write(Data("\nrunbook: \(name): stopping the current step (a second signal exits at once)\n".utf8))
                }
                s.resume()
                installed.append(s)
            }
            sources = installed
        }
    }
}
