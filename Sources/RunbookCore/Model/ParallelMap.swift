import Foundation

/// Slots filled by concurrent iterations; each index is written by exactly one iteration and
/// the lock orders the writes.
private final class ParallelResults<T>: @unchecked Sendable {
    var values: [T?]
    let lock = NSLock()
    init(count: Int) { values = Array<T?>(repeating: nil, count: count) }
}

extension Array where Element: Sendable {
    /// Maps on all cores, keeping order. For CPU-bound work on independent elements.
    public func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let results = ParallelResults<T>(count: count)
        let input = self
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let value = transform(input[i])
            results.lock.lock()
            results.values[i] = value
            results.lock.unlock()
        }
        return results.values.compactMap { $0 }
    }
}
