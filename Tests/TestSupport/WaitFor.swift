import Foundation
import SystemIO
#if canImport(Glibc)
import Glibc
#endif

/// Waits, bounded, for what tests wait for: a file that says something (inotify) and a process that
/// ends (pidfd), woken by the event itself rather than by sleeping and looking again; remote state
/// that has no event, by looking again. The waiting happens on a thread of its own
/// (`BlockingWork`), never on the cooperative pool.
public enum WaitFor {
    /// Whether `condition` came to hold, within `timeout` seconds, for the text of the file at
    /// `path` (nil while there is no such file). It is checked at once and again on every change
    /// in the file's folder, which must exist.
    public static func file(_ path: String, timeout: Double, until condition: @escaping @Sendable (String?) -> Bool) async -> Bool {
        let cancel = CancelFlag()
        let result = try? await BlockingWork.run(cancel: cancel) {
            let deadline = Date().addingTimeInterval(timeout)
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            guard fd >= 0 else { return condition(text(path)) }
            defer { close(fd) }
            let folder = (path as NSString).deletingLastPathComponent
            _ = inotify_add_watch(fd, folder, UInt32(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB))
            var events = [UInt8](repeating: 0, count: 4096)
            while true {
                if condition(text(path)) { return true }
                guard readable(fd, before: deadline, cancel: cancel) else { return condition(text(path)) }
                _ = read(fd, &events, events.count)
            }
        }
        return result ?? false
    }

    /// Whether the process `pid` (any process, not only a child of this one) ended within
    /// `timeout` seconds. A process that has ended but is not reaped yet counts as ended.
    public static func exit(of pid: Int32, timeout: Double) async -> Bool {
        let cancel = CancelFlag()
        let result = try? await BlockingWork.run(cancel: cancel) {
            let fd = pidfdOpen(pid)
            guard fd >= 0 else { return errno == ESRCH }
            defer { close(fd) }
            // A pidfd becomes readable when its process ends.
            return readable(fd, before: Date().addingTimeInterval(timeout), cancel: cancel)
        }
        return result ?? false
    }

    /// Whether `condition` came to hold within `timeout` seconds, for state that says nothing when
    /// it changes (a remote server's): looks again every `interval` seconds, on a thread of its
    /// own, since `condition` usually blocks (a request). Prefer `file` and `exit` where they fit.
    public static func state(timeout: Double, every interval: Double = 0.1, _ condition: @escaping @Sendable () throws -> Bool) async -> Bool {
        let cancel = CancelFlag()
        let result = try? await BlockingWork.run(cancel: cancel) {
            let deadline = Date().addingTimeInterval(timeout)
            while !cancel.isSet {
                if (try? condition()) == true { return true }
                if Date() >= deadline { return false }
                cancel.sleep(seconds: min(interval, deadline.timeIntervalSinceNow))
            }
            return false
        }
        return result ?? false
    }

    // MARK: - Helpers

    private static func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `fd` became readable before `deadline`. Waits in slices of a quarter second only to
    /// notice a cancelled test; the event itself wakes it at once.
    private static func readable(_ fd: Int32, before deadline: Date, cancel: CancelFlag) -> Bool {
        while !cancel.isSet {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return false }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, Int32(min(left, 0.25) * 1000) + 1) > 0 { return true }
        }
        return false
    }

    /// `pidfd_open(2)`: Glibc has it since 2.36, but Swift's Glibc module does not declare it.
    private static func pidfdOpen(_ pid: Int32) -> Int32 {
        typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
        guard let me = dlopen(nil, RTLD_NOW), let symbol = dlsym(me, "pidfd_open") else {
            errno = ENOSYS
            return -1
        }
        return unsafeBitCast(symbol, to: PidfdOpen.self)(pid, 0)
    }
}
