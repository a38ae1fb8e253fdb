import Foundation
import Testing
import TestSupport
import Yams

/// The ops-docs workflow is what keeps docs honest on GitHub: its shape is tested like code.
@Suite struct WorkflowTests {
    static func load() throws -> [String: Any] {
        let url = RunbookExecutable.packageRoot.appendingPathComponent(".github/workflows/ops-docs.yml")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test func triggersOnChangesAndWeekly() throws {
        let wf = try Self.load()
        // YAML 1.1 reads a bare `on` as true; Yams keeps the key "on".
        let on = try #require((wf["on"] ?? wf["true"]) as? [String: Any])
        for event in ["push", "pull_request"] {
            let paths = try #require((on[event] as? [String: Any])?["paths"] as? [String])
            for p in ["docs/**", "Sources/**", "runbook.toml", ".github/workflows/ops-docs.yml"] {
                #expect(paths.contains(p), "\(event) lacks \(p)")
            }
        }
        let schedule = try #require(on["schedule"] as? [[String: Any]])
        let cron = try #require(schedule.first?["cron"] as? String)
        let fields = cron.split(separator: " ")
        #expect(fields.count == 5 && fields[4] != "*", "weekly: a fixed day of week")
    }

    @Test func leastPermissionsConcurrencyAndPinnedActions() throws {
        let wf = try Self.load()
        #expect((wf["permissions"] as? [String: Any])?["contents"] as? String == "read")
        #expect((wf["concurrency"] as? [String: Any])?["group"] != nil)
        let jobs = try #require(wf["jobs"] as? [String: [String: Any]])
        var uses: [String] = []
        var runs: [String] = []
        for job in jobs.values {
            for step in (job["steps"] as? [[String: Any]]) ?? [] {
                if let u = step["uses"] as? String { uses.append(u) }
                if let r = step["run"] as? String { runs.append(r) }
            }
        }
        #expect(uses.allSatisfy { $0.split(separator: "@").last.map { $0.count == 40 && $0.allSatisfy(\.isHexDigit) } == true },
                "actions are pinned to a commit: \(uses)")
        #expect(uses.contains { $0.hasPrefix("actions/upload-pages-artifact@") })
        #expect(uses.contains { $0.hasPrefix("actions/deploy-pages@") })
        #expect(runs.contains("scripts/setup"))
        #expect(runs.contains { $0.contains("runbook check --format github") })
        #expect(runs.contains("scripts/test"))
        let publish = try #require(jobs["publish"])
        let perms = try #require(publish["permissions"] as? [String: String])
        #expect(perms == ["pages": "write", "id-token": "write"])
        #expect((publish["if"] as? String)?.contains("refs/heads/main") == true)
    }

    @Test("builds once, with the toolchain the project is developed with, caching .build on Package.resolved")
    func oneBuildSameToolchainCachedOnResolved() throws {
        let wf = try Self.load()
        let jobs = try #require(wf["jobs"] as? [String: [String: Any]])
        let check = try #require(jobs["check"])
        #expect(check["container"] as? String == "swift:6.3.1-bookworm")
        let steps = (check["steps"] as? [[String: Any]]) ?? []
        let builds = steps.compactMap { $0["run"] as? String }.filter { $0.contains("swift build") }
        #expect(builds == ["swift build --build-tests --force-resolved-versions"], "one build, exactly the pinned versions: \(builds)")
        let cache = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("actions/cache@") == true })
        let with = try #require(cache["with"] as? [String: Any])
        #expect(with["path"] as? String == ".build")
        #expect((with["key"] as? String)?.contains("hashFiles('Package.resolved')") == true)
        let resolved = RunbookExecutable.packageRoot.appendingPathComponent("Package.resolved").path
        #expect(FileManager.default.fileExists(atPath: resolved), "Package.resolved is committed")
    }
}
