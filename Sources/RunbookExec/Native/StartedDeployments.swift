import Foundation

/// The services this run has started a deployment on (redeploy, new task definition, rollback), so
/// a later change in the same run is not refused as "a deployment already in progress".
final class StartedDeployments: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: Set<String> = []

    func insert(_ key: String) {
        lock.lock()
        keys.insert(key)
        lock.unlock()
    }

    func contains(_ key: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return keys.contains(key)
    }
}
