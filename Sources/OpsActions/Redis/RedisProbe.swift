import Foundation

/// `redis-cli INFO memory`, natively: connects (with AUTH when a password is given), reads INFO
/// and reports memory use, the limit, the eviction policy and evicted keys.
public struct RedisProbe: Sendable {
    /// Where to connect, parsed from `redis://[user:password@]host:port`; the password is never shown.
    public struct Target: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String?
        public var password: String?

        public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
        }

        /// Reads a `redis://` URL (`rediss://` is refused: TLS is not supported).
        public init(url text: String) throws(RedisError) {
            guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased() else {
                throw RedisError.badURL("is not a URL")
            }
            guard scheme == "redis" else {
                throw RedisError.badURL(scheme == "rediss" ? "uses TLS (rediss://), which this probe does not support" : "scheme is \(scheme), not redis")
            }
            guard let host = c.host, !host.isEmpty else { throw RedisError.badURL("has no host") }
            self.host = host
            self.port = c.port ?? 6379
            let user = c.user?.removingPercentEncoding ?? c.user
            let password = c.password?.removingPercentEncoding ?? c.password
            self.username = (user?.isEmpty ?? true) || user == "default" && password == nil ? nil : user
            self.password = password?.isEmpty == true ? nil : password
            if self.password == nil && self.username != nil {
                // redis://secret@host: a lone user part is the password (as redis-cli -u reads it).
                self.password = self.username
                self.username = nil
            }
        }

        /// `host:port`, safe to print.
        public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public var timeout: Double

    public init(timeout: Double = 5) { self.timeout = timeout }

    /// Reads INFO memory and stats (and `section` raw, when asked).
    public func check(_ target: Target, section: String? = nil) throws(RedisError) -> RedisReport {
        let client = try RedisClient(host: target.host, port: target.port, timeout: timeout)
        if let password = target.password {
            try client.authenticate(username: target.username, password: password)
        }
        let memory = RedisInfo(try client.info(section: "memory"))
        let stats = RedisInfo(try client.info(section: "stats"))
        let raw = try section.map { s throws(RedisError) in try client.info(section: s) }
        return RedisReport(
            endpoint: target.endpoint,
            usedMemory: memory.int("used_memory"), usedMemoryHuman: memory["used_memory_human"],
            maxMemory: memory.int("maxmemory"), maxMemoryHuman: memory["maxmemory_human"],
            evictionPolicy: memory["maxmemory_policy"], evictedKeys: stats.int("evicted_keys"),
            section: section, raw: raw)
    }
}
