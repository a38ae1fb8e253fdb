import Glibc
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 that serves a rendered site from memory.
///
/// Only for local preview: GET and HEAD for a loopback Host, one request per connection
/// (`Connection: close`). ``run()`` serves every connection from the calling thread (see
/// ``ConnectionLoop``); ``publish(_:)`` and ``stop()`` may be called from any thread.
public final class PreviewServer: Sendable {
    /// How much any one client gets.
    public let limits: PreviewLimits
    private let site = Mutex(PublishedSite())
    private let listening = Mutex(Listening())

    private struct Listening {
        var fd: Int32 = -1
        var port: UInt16 = 0
        var stopped = false
    }

    public init(limits: PreviewLimits = .standard) {
        self.limits = limits
    }

    deinit {
        listening.withLock { if $0.fd >= 0 { close($0.fd) } }
    }

    /// Binds 127.0.0.1:`port` (0: any free port) and starts listening; only this machine can connect.
    public func bind(port requested: UInt16) throws(PreviewError) {
        let fd = try SocketCall.require("socket") {
            Int(socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0))
        }
        let socketFD = Int32(fd)
        do throws(PreviewError) {
            var yes: Int32 = 1
            try SocketCall.require("setsockopt") {
                Int(setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)))
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = requested.bigEndian
            address.sin_addr.s_addr = INADDR_LOOPBACK.bigEndian
            let bound = SocketCall.run("bind") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Int(Glibc.bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))) }
                }
            }
            switch bound {
            case .done: break
            case .failed(EADDRINUSE): throw PreviewError.portInUse(requested)
            case .failed(let code): throw PreviewError.socket("bind", code)
            case .wouldBlock: throw PreviewError.socket("bind", EAGAIN)
            }
            try SocketCall.require("listen") { Int(listen(socketFD, SOMAXCONN)) }
            var actual = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            try SocketCall.require("getsockname") {
                withUnsafeMutablePointer(to: &actual) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Int(getsockname(socketFD, $0, &length)) }
                }
            }
            listening.withLock {
                if $0.fd >= 0 { close($0.fd) }
                $0.fd = socketFD
                $0.port = UInt16(bigEndian: actual.sin_port)
            }
        } catch {
            close(socketFD)
            throw error
        }
    }

    /// The port the server listens on (the one asked for, or the one the system chose for 0).
    public var port: UInt16 { listening.withLock { $0.port } }

    /// Replaces the site being served; open pages reload.
    public func publish(_ files: [String: [UInt8]]) {
        site.withLock {
            $0.files = files
            $0.generation += 1
        }
    }

    /// The number of times a site was published.
    public var currentGeneration: Int { site.withLock { $0.generation } }

    /// Asks ``run()`` to return (safe from any thread or a signal source's handler).
    public func stop() {
        listening.withLock { $0.stopped = true }
    }

    /// Serves on the calling thread (it blocks: give it a thread of its own, never a task) until ``stop()``;
    /// then closes every connection and the listening socket.
    public func run() throws(PreviewError) {
        let fd = listening.withLock { $0.fd }
        guard fd >= 0 else { throw PreviewError.notBound }
        defer {
            listening.withLock {
                close($0.fd)
                $0.fd = -1
            }
        }
        let loop = ConnectionLoop(listener: fd, limits: limits) { received in
            PreviewResponder(site: self.site.withLock { $0 }).answer(received)
        }
        try loop.run { listening.withLock { $0.stopped } }
    }
}
