import AuditTrail
import Crypto
import Foundation
import Synchronization

/// Collects a step's (redacted) output for the audit log: a SHA-256 digest of all of it, its
/// size, and a bounded excerpt (the first and last 1,000 characters).
final class OutputCapture: Sendable {
    static let excerptLimit = 1000

    private struct State {
        var hasher = SHA256()
        var bytes = 0
        var head = ""
        var tail: [Character] = []
        var total = 0
    }

    private let state = Mutex(State())

    func add(_ line: String) {
        let text = line + "\n"
        let data = Data(text.utf8)
        state.withLock { s in
            s.hasher.update(data: data)
            s.bytes += data.count
            for c in text {
                s.total += 1
                if s.head.count < Self.excerptLimit {
                    s.head.append(c)
                } else {
                    s.tail.append(c)
                    if s.tail.count > Self.excerptLimit * 2 { s.tail.removeFirst(s.tail.count - Self.excerptLimit) }
                }
            }
        }
    }

    var summary: (sha256: String, bytes: Int, excerpt: String) {
        state.withLock { s in
            let digest = Data(s.hasher.finalize()).hex
            let kept = s.tail.suffix(Self.excerptLimit)
            var excerpt = s.head
            if s.total > s.head.count + kept.count { excerpt += "\n[... \(s.total - s.head.count - kept.count) characters left out ...]\n" }
            excerpt += String(kept)
            return (digest, s.bytes, excerpt)
        }
    }
}
