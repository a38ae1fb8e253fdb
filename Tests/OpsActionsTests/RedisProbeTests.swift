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

    @Test("runbook probe redis: password from the env var named in runbook.toml, --section, exit 1 on a wrong password; never shows it")
    func cli() throws {
        let server = try RedisServer(password: Canary.redisPassword)
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["redis_url": "redis://127.0.0.1:\(server.port)", "redis_password_env": "MINDHIT_REDIS_PASSWORD"])
        let ok = try #require(try RunbookBinary.run(["probe", "redis", "--env", "t", "--config", config, "--section", "memory"],
                                                    environment: ["MINDHIT_REDIS_PASSWORD": Canary.redisPassword]))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("eviction policy  noeviction"))
        #expect(ok.stdout.contains("# Memory"))
        #expect(ok.stdout.contains("used_memory_peak:"))
        let wrong = try #require(try RunbookBinary.run(["probe", "redis", "--env", "t", "--config", config],
                                                       environment: ["MINDHIT_REDIS_PASSWORD": "not-\(Canary.redisPassword)"]))
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("refused the password"))
        let url = try #require(try RunbookBinary.run(["probe", "redis", "--url", "redis://:\(Canary.redisPassword)@127.0.0.1:\(server.port)", "--json"],
                                                     environment: [:]))
        #expect(url.status == 0, "\(url.stderr)")
        #expect(url.stdout.contains(#""endpoint" : "127.0.0.1:\#(server.port)""#))
        let closed = try LoopbackPort.free()
        let down = try #require(try RunbookBinary.run(["probe", "redis", "--url", "redis://127.0.0.1:\(closed)"], environment: [:]))
        #expect(down.status == 1)
        #expect(down.stderr.contains("connection refused by Redis at 127.0.0.1:\(closed)"))
        for r in [ok, wrong, url, down] { Canary.expectAbsent(r) }
    }
}
