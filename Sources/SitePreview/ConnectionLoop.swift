import Glibc

/// Serves every connection from one thread with `poll`: no connection waits for another, each has a
/// deadline, and at most `limits.maxConnections` are open at once (one beyond that is closed at once).
///
/// Sockets are non-blocking; nothing here waits except `poll`, and that at most `tick` at a time so a
/// stop request is seen promptly. Used by one thread only: the one that calls ``run(until:)``.
final class ConnectionLoop {
    private struct Connection {
        enum Phase {
            /// Reading until the blank line that ends the request head.
            case readingHead
            /// Sending the response.
            case writing
            /// Answered and shut for writing; reading what the client still sends until it closes.
            case lingering
            case closed
        }

        let fd: Int32
        var phase = Phase.readingHead
        var received: [UInt8] = []
        var response: [UInt8] = []
        var sent = 0
        var drained = 0
        var deadline: ContinuousClock.Instant
    }

    /// The longest single wait in `poll`: how soon a stop request is noticed.
    static let tick = Duration.milliseconds(200)
    /// How long accepting pauses when the process is out of descriptors (so the loop does not spin).
    static let acceptBackoff = Duration.milliseconds(100)
    /// Connections accepted per turn of the loop, so a flood of new ones cannot starve the open ones.
    static let acceptsPerTurn = 64
    /// Bytes read and dropped after answering before the connection is closed regardless.
    static let maxDrainBytes = 1 << 20

    private let listener: Int32
    private let limits: PreviewLimits
    private let answer: (ReceivedHead) -> [UInt8]
    private var connections: [Connection] = []
    private var acceptPausedUntil: ContinuousClock.Instant?
    private var scratch = [UInt8](repeating: 0, count: 4096)
    /// Sent, best effort, to a connection over the cap before it is closed.
    private let busyResponse: [UInt8]

    /// `answer` turns what a connection sent into the bytes to send back; it runs on this loop's thread.
    init(listener: Int32, limits: PreviewLimits, answer: @escaping (ReceivedHead) -> [UInt8]) {
        self.listener = listener
        self.limits = limits
        self.answer = answer
        busyResponse = HTTPResponse.text(503, "Service Unavailable",
                                         "runbook serve has \(limits.maxConnections) connections open already; try again in a moment")
            .serialized()
    }

    /// Serves until `shouldStop()` is true, then closes every connection it holds (the listener stays open).
    func run(until shouldStop: () -> Bool) throws(PreviewError) {
        defer { closeAll() }
        while !shouldStop() {
            let accepting = acceptPausedUntil.map { ContinuousClock.now >= $0 } ?? true
            var fds = [pollfd(fd: listener, events: accepting ? Int16(POLLIN) : 0, revents: 0)]
            for connection in connections {
                fds.append(pollfd(fd: connection.fd, events: Int16(connection.phase == .writing ? POLLOUT : POLLIN), revents: 0))
            }
            let timeout = pollTimeout(from: ContinuousClock.now)
            if case .failed(let code) = SocketCall.run("poll", { Int(poll(&fds, nfds_t(fds.count), timeout)) }) {
                throw PreviewError.serving("poll", code)
            }
            let now = ContinuousClock.now
            var open: [Connection] = []
            open.reserveCapacity(connections.count)
            for (index, var connection) in connections.enumerated() {
                let events = fds[index + 1].revents
                if events & Int16(POLLERR | POLLNVAL) != 0 {
                    connection.phase = .closed
                } else if events != 0 {
                    advance(&connection, now: now)
                }
                if connection.phase != .closed, now >= connection.deadline { connection.phase = .closed }
                if connection.phase == .closed { close(connection.fd) } else { open.append(connection) }
            }
            connections = open
            if accepting, fds[0].revents & Int16(POLLIN) != 0 { acceptPending(now: now) }
        }
    }

    // MARK: - Connections

    private func acceptPending(now: ContinuousClock.Instant) {
        acceptPausedUntil = nil
        for _ in 0..<Self.acceptsPerTurn {
            switch SocketCall.run("accept", { Int(accept(listener, nil, nil)) }) {
            case .done(let result):
                let fd = Int32(result)
                // An accepted socket does not inherit the listener's flags (and Glibc's accept4 is not visible to Swift).
                _ = SocketCall.run("fcntl") { Int(fcntl(fd, F_SETFD, FD_CLOEXEC)) }
                guard case .done = SocketCall.run("fcntl", { Int(fcntl(fd, F_SETFL, O_NONBLOCK)) }) else {
                    close(fd)
                    continue
                }
                if connections.count >= limits.maxConnections {
                    refuse(fd)
                } else {
                    connections.append(Connection(fd: fd, deadline: now + .seconds(limits.headTimeout)))
                }
            case .wouldBlock:
                return
            case .failed(ECONNABORTED), .failed(EPROTO), .failed(EPERM):
                continue
            case .failed:
                // Out of descriptors or memory: the pending connection stays queued; try again shortly.
                acceptPausedUntil = now + Self.acceptBackoff
                return
            }
        }
    }

    /// Over the cap: says so if the socket takes it at once, and closes.
    private func refuse(_ fd: Int32) {
        _ = busyResponse.withUnsafeBytes { raw in send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(fd)
    }

    /// Does whatever the connection is ready for, until it would block.
    private func advance(_ connection: inout Connection, now: ContinuousClock.Instant) {
        switch connection.phase {
        case .readingHead: readHead(&connection, now: now)
        case .writing: write(&connection, now: now)
        case .lingering: drain(&connection)
        case .closed: break
        }
    }

    private func readHead(_ connection: inout Connection, now: ContinuousClock.Instant) {
        while connection.phase == .readingHead {
            // One byte past the limit tells "exactly at the limit" from "over it".
            let room = min(scratch.count, limits.maxHeadBytes + 1 - connection.received.count)
            let fd = connection.fd
            switch SocketCall.run("recv", { scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, room, 0) } }) {
            case .done(0), .failed:
                connection.phase = .closed
            case .done(let count):
                let searchFrom = max(0, connection.received.count - 3)
                connection.received += scratch[0..<count]
                if let end = Self.headEnd(in: connection.received, from: searchFrom), end <= limits.maxHeadBytes {
                    respond(&connection, to: .complete(connection.received[..<end]), now: now)
                } else if connection.received.count > limits.maxHeadBytes {
                    respond(&connection, to: .tooLarge(limit: limits.maxHeadBytes, prefix: connection.received[...]), now: now)
                }
            case .wouldBlock:
                return
            }
        }
    }

    private func respond(_ connection: inout Connection, to received: ReceivedHead, now: ContinuousClock.Instant) {
        connection.response = answer(received)
        connection.received = []
        connection.phase = .writing
        connection.deadline = now + .seconds(limits.writeTimeout)
        write(&connection, now: now)
    }

    private func write(_ connection: inout Connection, now: ContinuousClock.Instant) {
        let fd = connection.fd
        while connection.sent < connection.response.count {
            let offset = connection.sent
            let outcome = SocketCall.run("send") {
                connection.response.withUnsafeBytes { raw in
                    send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
                }
            }
            switch outcome {
            case .done(let count): connection.sent += count
            case .wouldBlock: return
            case .failed:
                connection.phase = .closed
                return
            }
        }
        // All sent: close our side, then wait (briefly) for the client to close its own, so that request bytes
        // still unread (the rest of an oversized head) do not make the kernel reset the connection and drop the answer.
        shutdown(fd, Int32(SHUT_WR))
        connection.response = []
        connection.phase = .lingering
        connection.deadline = now + .seconds(limits.lingerTimeout)
        drain(&connection)
    }

    private func drain(_ connection: inout Connection) {
        let fd = connection.fd
        while connection.phase == .lingering {
            switch SocketCall.run("recv", { scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }) {
            case .done(0), .failed:
                connection.phase = .closed
            case .done(let count):
                connection.drained += count
                if connection.drained > Self.maxDrainBytes { connection.phase = .closed }
            case .wouldBlock:
                return
            }
        }
    }

    private func closeAll() {
        for connection in connections { close(connection.fd) }
        connections = []
    }

    // MARK: - Helpers

    /// Milliseconds until the nearest deadline (rounded up), at most one tick.
    private func pollTimeout(from now: ContinuousClock.Instant) -> Int32 {
        var nearest = now + Self.tick
        for connection in connections where connection.deadline < nearest { nearest = connection.deadline }
        if let paused = acceptPausedUntil, paused < nearest { nearest = paused }
        let wait = nearest - now
        guard wait > .zero else { return 0 }
        let (seconds, attoseconds) = wait.components
        return Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
    }

    /// The index just past `\r\n\r\n` in `bytes`, searching from `start`.
    static func headEnd(in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 4 <= bytes.count {
            if bytes[i] == 13, bytes[i + 1] == 10, bytes[i + 2] == 13, bytes[i + 3] == 10 { return i + 4 }
            i += 1
        }
        return nil
    }
}
