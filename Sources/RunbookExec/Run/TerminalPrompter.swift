import Foundation
import SystemIO
#if canImport(Glibc)
import Glibc
#endif

/// Asks on the terminal: the question on stderr, the answer from stdin. Ctrl-C while it waits
/// counts as "no" (and the runner then ends the run as interrupted), and so does a cancelled task.
///
/// The terminal is read on a thread of its own (`BlockingWork`): an operator who takes a minute to
/// answer holds no thread of the cooperative pool.
public struct TerminalPrompter: ConfirmationPrompter {
    public let interrupt: InterruptFlag?

    public init(interrupt: InterruptFlag? = nil) { self.interrupt = interrupt }

    public var isInteractive: Bool { isatty(0) == 1 && isatty(2) == 1 }

    public func confirm(_ question: String, expected: String?) async -> Bool {
        let cancel = CancelFlag()
        let interrupt = self.interrupt
        let answered = try? await BlockingWork.run(cancel: cancel, whenCancelled: .finish) {
            Self.ask(question, expected: expected) { interrupt?.isSet == true || cancel.isSet }
        }
        return answered ?? false
    }

    /// Writes `question`, reads one line from stdin and says whether it is the answer wanted;
    /// checks `stop` five times a second while it waits (a stop is a "no").
    static func ask(_ question: String, expected: String?, stop: () -> Bool) -> Bool {
        FileHandle.standardError.write(Data((question + " ").utf8))
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            if stop() {
                FileHandle.standardError.write(Data("\n".utf8))
                return false
            }
            var p = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            let n = read(0, &byte, 1)
            if n < 0, errno == EINTR { continue }
            guard n == 1 else { return false }
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        let answer = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if let expected { return answer == expected }
        return ["y", "yes"].contains(answer.lowercased())
    }
}
