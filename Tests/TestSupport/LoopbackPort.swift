import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback TCP ports for tests: a free one, a closed one, and one that accepts and never answers.
public enum LoopbackPort {
    /// A port nothing listens on right now (bound to 0, read back, closed).
    public static func free() throws -> Int {
        let (fd, port) = try bindLoopback()
        close(fd)
        return port
    }

    /// Binds a TCP socket to 127.0.0.1 on a kernel-chosen port.
    /// A socket bound to a free loopback port and listening, with its port: every test server's start.
    static func listening(backlog: Int32 = 64) throws -> (Int32, Int) {
        let (fd, port) = try bindLoopback()
        guard listen(fd, backlog) == 0 else {
            close(fd)
            throw TestSupportError("listen() failed: errno \(errno)")
        }
        return (fd, port)
    }

    static func bindLoopback() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw TestSupportError("bind() failed: errno \(errno)")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }
}

/// A TCP listener on loopback that completes connections (the kernel does) but never reads or
/// answers: an endpoint that hangs. Closed by `stop()` or when released.
public final class HangingServer: @unchecked Sendable {
    // `@unchecked`: `fd` is written only by `stop()`, guarded by `lock`.
    private let lock = NSLock()
    private var fd: Int32
    public let port: Int

    public init() throws {
        let (fd, port) = try LoopbackPort.listening()
        self.fd = fd
        self.port = port
    }

    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    deinit { stop() }
}
