import AuditTrail
import Crypto
import Foundation

/// Collects a step's (redacted) output for the audit log: a SHA-256 digest of all of it, its
/// size, and a bounded excerpt (the first and last 1,000 characters).
final class OutputCapture: @unchecked Sendable {
    // @unchecked: every member is used under `lock`.
    static let excerptLimit = 1000
    private let lock = NSLock()
    private var hasher = SHA256()
    private var bytes = 0
    private var head = ""
    private var tail: [Character] = []
    private var total = 0

    func add(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        let text = line + "\n"
        let data = Data(text.utf8)
        hasher.update(data: data)
        bytes += data.count
        for c in text {
            total += 1
            if head.count < Self.excerptLimit {
                head.append(c)
            } else {
                tail.append(c)
                if tail.count > Self.excerptLimit * 2 { tail.removeFirst(tail.count - Self.excerptLimit) }
            }
        }
    }

    var summary: (sha256: String, bytes: Int, excerpt: String) {
        lock.lock()
        defer { lock.unlock() }
        let digest = Data(hasher.finalize()).hex
        let kept = tail.suffix(Self.excerptLimit)
        var excerpt = head
        if total > head.count + kept.count { excerpt += "\n[... \(total - head.count - kept.count) characters left out ...]\n" }
        excerpt += String(kept)
        return (digest, bytes, excerpt)
    }
}
