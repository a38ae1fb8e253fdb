import Foundation
import Synchronization

/// Files being written that are not whole yet (a download before its rename into place).
///
/// Each is removed on failure by its writer, by `removeAll()` when the process is interrupted
/// (the CLI's SIGINT/SIGTERM handler calls it), and at exit if its writer was abandoned (a step
/// that timed out), so no partial file outlives the process that wrote it.
public enum PartialFiles {
    private static let paths = Mutex<Set<String>>([])
    /// Registers the exit hook once, the first time a file is tracked.
    private static let exitHook: Void = {
        atexit { PartialFiles.removeAll() }
    }()

    /// Starts tracking `path`, a file about to be written.
    public static func begin(_ path: String) {
        _ = exitHook
        paths.withLock { _ = $0.insert(path) }
    }

    /// Removes `path` and stops tracking it (the write failed).
    public static func discard(_ path: String) {
        paths.withLock {
            unlink(path)
            $0.remove(path)
        }
    }

    /// Renames the finished `path` to `destination` and stops tracking it; done under the lock,
    /// so an interrupt meanwhile finds either the partial file to remove or the whole file in place.
    public static func commit(_ path: String, to destination: String) throws(S3Error) {
        let failure: String? = paths.withLock { tracked in
            tracked.remove(path)
            guard rename(path, destination) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(path)
                return reason
            }
            return nil
        }
        if let failure { throw S3Error.localFile(path: destination, reason: failure) }
    }

    /// Removes every tracked file; returns their paths.
    @discardableResult
    public static func removeAll() -> [String] {
        paths.withLock {
            let all = $0.sorted()
            for p in all { unlink(p) }
            $0.removeAll()
            return all
        }
    }
}
