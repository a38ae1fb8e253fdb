import Foundation

/// What the Redis probe found.
public struct RedisReport: Codable, Sendable, Equatable {
    public var endpoint: String
    public var usedMemory: Int?
    public var usedMemoryHuman: String?
    /// 0: no limit.
    public var maxMemory: Int?
    public var maxMemoryHuman: String?
    public var evictionPolicy: String?
    public var evictedKeys: Int?
    /// The section asked for and its raw INFO text.
    public var section: String?
    public var raw: String?

    /// `label  value` lines for the terminal.
    public var report: [(label: String, value: String)] {
        var used = usedMemoryHuman ?? "-"
        if let u = usedMemory { used += " (\(u) bytes)" }
        var limit = "none (maxmemory 0)"
        if let m = maxMemory, m > 0 {
            limit = "\(maxMemoryHuman ?? "\(m)") (\(m) bytes)"
            if let u = usedMemory { limit += String(format: ", %.1f%% used", Double(u) * 100 / Double(m)) }
        }
        return [
            ("redis", endpoint), ("used_memory", used), ("maxmemory", limit),
            ("eviction policy", evictionPolicy ?? "-"), ("evicted keys", evictedKeys.map(String.init) ?? "-"),
        ]
    }
}
