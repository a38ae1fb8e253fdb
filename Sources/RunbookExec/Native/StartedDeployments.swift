import Synchronization

/// The services this run has started a deployment on (redeploy, new task definition, rollback), so
/// a later change in the same run is not refused as "a deployment already in progress".
final class StartedDeployments: Sendable {
    private let keys = Mutex<Set<String>>([])

    func insert(_ key: String) {
        _ = keys.withLock { $0.insert(key) }
    }

    func contains(_ key: String) -> Bool {
        keys.withLock { $0.contains(key) }
    }
}
