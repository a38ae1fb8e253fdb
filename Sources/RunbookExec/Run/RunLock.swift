import SystemIO
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run per (environment, service) per machine.
///
/// The lock is an `flock` on `<state>/locks/<env>--<service>.lock`, which the kernel drops when
/// the holder dies, however it dies; the file records the holder's pid and start time for the
/// "already running" message. A file left by a dead process holds no lock and is taken over.
/// Each shell step inherits the locked descriptor, so the lock outlives a killed runner for as
/// long as any process of its steps still runs: a new run never overlaps with one.
public final class RunLock: Sendable {
    // Immutable after init; the descriptor is closed once, in deinit.
    public let path: String
    private let fd: Int32
    /// The locked descriptor, for the step processes to inherit (they keep the lock while they live).
    var descriptor: Int32 { fd }
    /// The holder recorded in a file this lock took over (its process is gone), if any.
    public let tookOverFrom: Holder?

    public struct Holder: Codable, Sendable, Equatable {
        public var pid: Int32
        public var since: String
        public var run: String?
        public var host: String?
    }

    public init(directory: String, environment: String, service: String, run: String, time: String) throws(ExecError) {
        let safe: (String) -> String = { String($0.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }) }
        path = directory + "/\(safe(environment))--\(safe(service)).lock"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ExecError(.invalid, "cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        let previous = Self.readHolder(fd)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            let who = previous.map { "pid \($0.pid), since \($0.since)" + ($0.run.map { ", run \($0)" } ?? "") } ?? "another process"
            if let holder = previous, holder.pid > 0, kill(holder.pid, 0) != 0, errno == ESRCH {
                throw ExecError(.locked, "a run for env \(environment), service \(service) is still running: its runner (\(who)) is gone, but a process its step started still holds the lock \(path); find it with `fuser \(path)` and stop it, or wait for it to end")
            }
            throw ExecError(.locked, "a run for env \(environment), service \(service) is already running (\(who)); lock \(path)")
        }
        self.fd = fd
        tookOverFrom = previous.flatMap { $0.pid > 0 && $0.pid != getpid() ? $0 : nil }
        let me = Holder(pid: getpid(), since: time, run: run, host: SystemInfo.hostName())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(me)) ?? Data()
        _ = ftruncate(fd, 0)
        _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        fsync(fd)
    }

    deinit {
        _ = ftruncate(fd, 0)
        close(fd)
    }

    static func readHolder(_ fd: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return try? JSONDecoder().decode(Holder.self, from: Data(buffer[..<n]))
    }
}
