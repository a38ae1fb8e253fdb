import Foundation
import Synchronization

/// A FIFO (named pipe) whose writer thread gives `text` to every reader that opens it, one reader
/// at a time, until stopped: a config or credentials file given as a pipe, however often the
/// program under test reads it.
///
/// Stopped (and the FIFO removed) by `stop()` or when released; `served` counts the readers that
/// got the whole text, so a test can tell the program really read the pipe.
public final class FIFOWriter: Sendable {
    public let path: String
    private let feed: Feed

    /// Makes the FIFO at `path` and starts the writer.
    public init(path: String, text: String) throws {
        guard mkfifo(path, 0o600) == 0 else {
            throw TestSupportError("mkfifo \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        feed = Feed(path: path, text: Array(text.utf8))
        let feed = self.feed
        Thread.detachNewThread { feed.serve() }
    }

    deinit { stop() }

    /// How many readers got the whole text so far.
    public var served: Int { feed.state.withLock { $0.served } }

    /// Stops the writer (waiting at most 5 s for it) and removes the FIFO; idempotent.
    public func stop() {
        let first = feed.state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        // The writer may be waiting in open(2) for a reader: be one, so that it wakes and sees `stopping`.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        _ = feed.finished.wait(timeout: .now() + 5)
        if fd >= 0 { close(fd) }
        unlink(path)
    }

    /// What the writer thread shares with the owner (not the owner itself, so releasing it stops the writer).
    private final class Feed: Sendable {
        struct State {
            var stopping = false
            var served = 0
        }

        let path: String
        let text: [UInt8]
        let state = Mutex(State())
        let finished = DispatchSemaphore(value: 0)

        init(path: String, text: [UInt8]) {
            self.path = path
            self.text = text
        }

        var stopping: Bool { state.withLock { $0.stopping } }

        func serve() {
            defer { finished.signal() }
            // A reader that leaves early makes write(2) fail with EPIPE instead of killing the tests.
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            while !stopping {
                let fd = open(path, O_WRONLY | O_CLOEXEC)  // waits for a reader
                if fd < 0 {
                    if errno == EINTR { continue }
                    return
                }
                if stopping {
                    close(fd)
                    return
                }
                // The next reader opens a fresh FIFO put in this one's place, so that it cannot
                // share this reader's pipe, and this reader sees the end once the text is written.
                let fresh = path + ".next"
                guard mkfifo(fresh, 0o600) == 0, rename(fresh, path) == 0 else {
                    close(fd)
                    return
                }
                // Counted before closing, so a reader that has seen the end also sees the count.
                if write(all: text, to: fd) { state.withLock { $0.served += 1 } }
                close(fd)
            }
        }

        private func write(all bytes: [UInt8], to fd: Int32) -> Bool {
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return -1 }
                    return Glibc.write(fd, base + done, raw.count - done)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += n
            }
            return true
        }
    }
}
