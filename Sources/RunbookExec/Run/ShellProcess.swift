import Foundation
import SystemIO
#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell step in bash (`set -euo pipefail`) in its own process group, streaming its
/// output line by line, and kills the whole group on timeout or interrupt.
///
/// The child gets `/dev/null` as stdin (a step never waits for the keyboard), default signal
/// handlers, and a fresh process group, so Ctrl-C reaches the runner, which then stops the step
/// deliberately (TERM to the group, KILL two seconds later) and records it. A cancelled task
/// stops the step the same way.
///
/// The waiting (for the child, on its pipes) happens on a thread of its own (`BlockingWork`),
/// never on the cooperative pool.
public enum ShellProcess {
    public struct Result: Sendable, Equatable {
        /// Exit status when bash exited normally.
        public var exitStatus: Int32?
        /// The signal that ended bash, if one did.
        public var signal: Int32?
        public var timedOut = false
        /// Ctrl-C stopped it.
        public var interrupted = false
        /// The awaiting task was cancelled, which stopped it.
        public var cancelled = false

        public var succeeded: Bool { exitStatus == 0 && !timedOut && !interrupted && !cancelled }
        /// A number for the audit log: the exit status, or 128 + signal.
        public var code: Int { Int(exitStatus ?? (128 + (signal ?? 0))) }
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "cannot start bash: \(reason)" }
    }

    /// Runs `script`; `onLine` gets each output line (without newline) and whether it came from
    /// stderr, on the thread that watches the child. Returns once bash and its pipes are done; a
    /// cancellation of the awaiting task kills the process group and returns with `cancelled`. A
    /// task cancelled before the call throws `CancellationError` and nothing starts.
    ///
    /// `inherit` (the run's lock) becomes descriptor 3 of bash and so of every process the step
    /// starts: the lock is held for as long as any of them lives, even after the runner is killed.
    /// Bash itself dies with the runner (its parent-death signal is SIGKILL, set by `setpriv`).
    public static func run(script: String, environment: [String: String], workingDirectory: String?, timeoutSeconds: Double,
                           interrupt: InterruptFlag, inherit: Int32? = nil, onLine: @escaping @Sendable (String, Bool) -> Void) async throws -> Result {
        let cancel = CancelFlag()
        return try await BlockingWork.run(cancel: cancel, whenCancelled: .finish) {
            // Spawned and watched on this one thread: the parent-death signal follows the thread
            // that spawned bash, which lives until bash is done.
            try runBlocking(script: script, environment: environment, workingDirectory: workingDirectory, timeoutSeconds: timeoutSeconds,
                            inherit: inherit, stop: { interrupt.isSet ? .interrupted : cancel.isSet ? .cancelled : nil }, onLine: onLine)
        }
    }

    /// util-linux's `setpriv`, which sets the parent-death signal and then runs bash (Debian and
    /// Ubuntu have it in the base system); without it bash starts directly.
    static let setpriv: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") ? "/usr/bin/setpriv" : nil

    /// Why the runner stops a step before it ends on its own.
    enum Stop {
        case interrupted
        case cancelled
    }

    private static func runBlocking(script: String, environment: [String: String], workingDirectory: String?, timeoutSeconds: Double,
                                    inherit: Int32?, stop: () -> Stop?, onLine: (String, Bool) -> Void) throws -> Result {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw SpawnError(reason: String(cString: strerror(errno)))
        }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        markInheritedDescriptorsCloseOnExec()
        var prelude = "set -euo pipefail\n"
        if let dir = workingDirectory { prelude += "cd -- '\(dir.replacingOccurrences(of: "'", with: "'\\''"))'\n" }
        let bash = ["/bin/bash", "--noprofile", "--norc", "-c", prelude + script, "runbook-step"]
        let argv = setpriv.map { [$0, "--pdeathsig", "KILL", "--"] + bash } ?? bash
        let env = environment.map { "\($0.key)=\($0.value)" }.sorted()

        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&fileActions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&fileActions, errPipe[1], 2)
        if let inherit { posix_spawn_file_actions_adddup2(&fileActions, inherit, 3) }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP] { sigaddset(&defaults, s) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setsigmask(&attr, &mask)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &fileActions, &attr, cArgv, cEnv)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnError(reason: String(cString: strerror(rc)))
        }
        return supervise(pid: pid, out: outPipe[0], err: errPipe[0], timeoutSeconds: timeoutSeconds, stopRequested: stop, onLine: onLine)
    }

    /// A step gets stdin, stdout and stderr only: any other descriptor this process holds
    /// (inherited from whoever started runbook) is marked close-on-exec, so a step that leaves a
    /// process behind cannot keep someone else's pipe open.
    private static func markInheritedDescriptorsCloseOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private static func supervise(pid: pid_t, out: Int32, err: Int32, timeoutSeconds: Double, stopRequested: () -> Stop?,
                                  onLine: (String, Bool) -> Void) -> Result {
        var result = Result()
        let deadline = now() + timeoutSeconds
        var killAt: Double?
        var exited = false
        var drainUntil: Double?
        var open: [Int32] = [out, err]
        var buffers: [Int32: [UInt8]] = [out: [], err: []]
        var chunk = [UInt8](repeating: 0, count: 65536)

        func emit(_ fd: Int32, final: Bool) {
            guard var buf = buffers[fd] else { return }
            while let nl = buf.firstIndex(of: UInt8(ascii: "\n")) {
                onLine(String(decoding: buf[..<nl], as: UTF8.self), fd == err)
                buf.removeSubrange(...nl)
            }
            if final, !buf.isEmpty {
                onLine(String(decoding: buf, as: UTF8.self), fd == err)
                buf = []
            }
            buffers[fd] = buf
        }

        func stop(_ why: () -> Void) {
            guard killAt == nil, !exited else { return }
            why()
            kill(-pid, SIGTERM)
            killAt = now() + 2
        }

        while true {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 100)
            for p in fds where p.revents != 0 {
                let n = read(p.fd, &chunk, chunk.count)
                if n > 0 {
                    buffers[p.fd, default: []] += chunk[..<n]
                    emit(p.fd, final: false)
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    emit(p.fd, final: true)
                    close(p.fd)
                    open.removeAll { $0 == p.fd }
                }
            }
            if !exited {
                var status: Int32 = 0
                let w = waitpid(pid, &status, WNOHANG)
                if w == pid {
                    exited = true
                    if status & 0x7f == 0 {
                        result.exitStatus = (status >> 8) & 0xff
                    } else {
                        result.signal = status & 0x7f
                    }
                    // Whatever the step left behind in its group ends with it.
                    kill(-pid, SIGKILL)
                    drainUntil = now() + 1
                }
            }
            if exited && (open.isEmpty || now() > (drainUntil ?? 0)) { break }
            if !exited {
                if now() > deadline { stop { result.timedOut = true } }
                switch stopRequested() {
                case .interrupted: stop { result.interrupted = true }
                case .cancelled: stop { result.cancelled = true }
                case nil: break
                }
                if let k = killAt, now() > k {
                    kill(-pid, SIGKILL)
                    killAt = now() + 3600
                }
            }
        }
        for fd in open {
            emit(fd, final: true)
            close(fd)
        }
        return result
    }
}
