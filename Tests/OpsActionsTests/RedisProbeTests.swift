import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Redis INFO over RESP against Debian's redis-server")
struct RedisProbeTests {
    @Test("INFO memory after filling keys: used memory, maxmemory, policy, evicted keys")
    func memory() throws {
        let server = try RedisServer()
        let client = try server.client()
        let before = RedisInfo(try client.info(section: "memory")).int("used_memory") ?? 0
        let value = String(repeating: "x", count: 4096)
        for i in 0..<500 { _ = try client.command(["SET", "session:\(i)", value]) }
        _ = try client.command(["CONFIG", "SET", "maxmemory", "64mb"])
        _ = try client.command(["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"])
        let report = try RedisProbe().check(RedisProbe.Target(url: "redis://127.0.0.1:\(server.port)"))
        #expect((report.usedMemory ?? 0) > before + 500 * 4096)
        #expect(report.maxMemory == 64 * 1024 * 1024)
        #expect(report.evictionPolicy == "allkeys-lru")
        #expect(report.evictedKeys == 0)
        #expect(report.raw == nil)
        let rows = Dictionary(uniqueKeysWithValues: report.report.map { ($0.label, $0.value) })
        #expect(rows["maxmemory"]?.hasPrefix("64.00M (67108864 bytes), ") == true)
        let raw = try RedisProbe().check(RedisProbe.Target(host: "127.0.0.1", port: server.port), section: "keyspace")
        #expect(raw.raw?.contains("db0:keys=500") == true)
    }

    @Test("requirepass: the right password works, a wrong or missing one is a clear error")
    func password() throws {
        let server = try RedisServer(password: Canary.redisPassword)
        let ok = try RedisProbe().check(RedisProbe.Target(host: "127.0.0.1", port: server.port, password: Canary.redisPassword))
        #expect(ok.usedMemory != nil)
        let fromURL = try RedisProbe().check(RedisProbe.Target(url: "redis://:\(Canary.redisPassword)@127.0.0.1:\(server.port)"))
        #expect(fromURL.evictionPolicy == "noeviction")
        #expect { try RedisProbe().check(RedisProbe.Target(host: "127.0.0.1", port: server.port, password: "wrong-password")) } throws: { e in
            "\(e)".contains("refused the password") && !"\(e)".contains("wrong-password")
        }
        #expect { try RedisProbe().check(RedisProbe.Target(host: "127.0.0.1", port: server.port)) } throws: { e in
            "\(e)".contains("requires a password (NOAUTH)")
        }
    }

    @Test("a closed port and a silent server are reported plainly")
    func unreachable() throws {
        let port = try LoopbackPort.free()
        #expect(throws: RedisError.connectionRefused(endpoint: "127.0.0.1:\(port)")) {
            try RedisProbe(timeout: 2).check(RedisProbe.Target(host: "127.0.0.1", port: port))
        }
        let silent = try HangingServer()
        #expect(throws: RedisError.timedOut(endpoint: "127.0.0.1:\(silent.port)", seconds: 1)) {
            try RedisProbe(timeout: 1).check(RedisProbe.Target(host: "127.0.0.1", port: silent.port))
        }
    }
}
