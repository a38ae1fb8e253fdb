import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Redis INFO over RESP against Debian's redis-server: through the CLI")
struct RedisProbeCLITests {
    @Test("runbook probe redis: password from the env var named in runbook.toml, --section, exit 1 on a wrong password; never shows it")
    func cli() async throws {
        let server = try RedisServer(password: Canary.redisPassword)
        let dir = try ScratchDirectory()
        let config = try writeRunbookConfig(dir, ["redis_url": "redis://127.0.0.1:\(server.port)", "redis_password_env": "MINDHIT_REDIS_PASSWORD"])
        let ok = try #require(try await RunbookBinary.run(["probe", "redis", "--env", "t", "--config", config, "--section", "memory"],
                                                    environment: ["MINDHIT_REDIS_PASSWORD": Canary.redisPassword]))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("eviction policy  noeviction"))
        #expect(ok.stdout.contains("# Memory"))
        #expect(ok.stdout.contains("used_memory_peak:"))
        let wrong = try #require(try await RunbookBinary.run(["probe", "redis", "--env", "t", "--config", config],
                                                       environment: ["MINDHIT_REDIS_PASSWORD": "not-\(Canary.redisPassword)"]))
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("refused the password"))
        let url = try #require(try await RunbookBinary.run(["probe", "redis", "--url", "redis://:\(Canary.redisPassword)@127.0.0.1:\(server.port)", "--json"],
                                                     environment: [:]))
        #expect(url.status == 0, "\(url.stderr)")
        #expect(url.stdout.contains(#""endpoint" : "127.0.0.1:\#(server.port)""#))
        let closed = try LoopbackPort.free()
        let down = try #require(try await RunbookBinary.run(["probe", "redis", "--url", "redis://127.0.0.1:\(closed)"], environment: [:]))
        #expect(down.status == 1)
        #expect(down.stderr.contains("connection refused by Redis at 127.0.0.1:\(closed)"))
        for r in [ok, wrong, url, down] { Canary.expectAbsent(r) }
    }
}
