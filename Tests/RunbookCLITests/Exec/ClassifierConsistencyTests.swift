import Foundation
import Testing
import TestSupport

/// The one classifier, seen from the outside: for every case of its table, the site's badge, the
/// plan's "changes state" and whether the runner asks agree with the table.
@Suite("One classifier: site badge, plan and runner agree")
struct ClassifierConsistencyTests {
    /// A project with one step per parseable case, no kind written (so the kind is inferred).
    static func project(_ dir: TempDir) throws -> (config: String, cases: [(id: String, text: String, expected: ClassifierCases.Expected)]) {
        let cases = ClassifierCases.table.enumerated().filter { (try? runbookParses($0.element.0)) == true }
            .map { (id: "c\($0.offset)", text: $0.element.0, expected: $0.element.1) }
        var doc = "---\ntitle: Classifier\nowner: t\nreviewed: 2026-11-01\nreview_every: 90d\n---\n\n# Classifier\n\n## All {#all}\n\n"
        for c in cases { doc += "```bash {id=\(c.id)}\n\(c.text)\n```\n\n" }
        try FileManager.default.createDirectory(atPath: dir.file("docs"), withIntermediateDirectories: true)
        try doc.write(toFile: dir.file("docs/classifier.md"), atomically: true, encoding: .utf8)
        try "[site]\ntitle = \"t\"\ndocs = \"docs\"\nlanguage = \"en\"\n\n[env.test]\nregion = \"us-east-1\"\n\n[env.prod]\nregion = \"us-east-1\"\nprotected = true\n"
            .write(toFile: dir.file("runbook.toml"), atomically: true, encoding: .utf8)
        return (dir.file("runbook.toml"), cases)
    }

    /// Whether the text has balanced quotes (the one unparseable case stays out of the section).
    static func runbookParses(_ text: String) throws -> Bool {
        text.filter { $0 == "'" }.count % 2 == 0
    }

    @Test("for each case: badge act iff it may change state, plan changes_state likewise, the runner asks likewise")
    func badgePlanAndRunnerAgree() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let (config, cases) = try Self.project(dir)
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"), "RUNBOOK_STATE_DIR": dir.file("state")]

        let build = try await ProcessRunner.run(RunbookExecutable.path, ["build", "--config", config, "--out", dir.file("site")],
                                          environment: env, inheritEnvironment: false)
        #expect(build.status == 0, "\(build.stderr)")
        let page = try String(contentsOfFile: dir.file("site/classifier.html"), encoding: .utf8)

        let dry = try await ProcessRunner.run(RunbookExecutable.path, ["exec", "classifier#all", "--env", "test", "--config", config, "--dry-run", "--json"],
                                        environment: env, inheritEnvironment: false)
        #expect(dry.status == 0, "\(dry.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
        let steps = try #require(plan["steps"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: steps.compactMap { s in (s["id"] as? String).map { ($0, s) } })

        for c in cases {
            let change = c.expected != .read
            let badge = page.range(of: #"<figure class="step kind-act" id="step-\#(c.id)""#) != nil
            let readBadge = page.range(of: #"<figure class="step kind-diagnose" id="step-\#(c.id)""#) != nil
            #expect(badge == change && readBadge == !change, "site badge for \(c.text)")
            let step = try #require(byID[c.id], "no plan step \(c.id)")
            #expect(step["changes_state"] as? Bool == change, "plan for \(c.text)")
            #expect((step["asks"] as? String != nil) == change, "runner asks for \(c.text)")
        }
    }

    @Test("kind=diagnose on a known change is refused by exec and an error in check; on an unknown command the plan says so")
    func diagnoseLabelsAreChecked() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("docs"), withIntermediateDirectories: true)
        let doc = """
            ---
            title: Lies
            owner: t
            reviewed: 2026-11-01
            review_every: 90d
            ---

            # Lies

            ## Hidden change {#hidden}

            ```bash {id=look kind=diagnose}
            env aws ecs delete-service --cluster c --service s --force
            ```

            ## Unknown tool {#unknown}

            ```bash {id=probe kind=diagnose}
            ./scripts/probe.sh
            ```
            """
        try doc.write(toFile: dir.file("docs/lies.md"), atomically: true, encoding: .utf8)
        try "[site]\ntitle = \"t\"\ndocs = \"docs\"\n\n[env.test]\nregion = \"us-east-1\"\n".write(toFile: dir.file("runbook.toml"), atomically: true, encoding: .utf8)
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"), "RUNBOOK_STATE_DIR": dir.file("state")]
        let config = dir.file("runbook.toml")

        let refused = try await ProcessRunner.run(RunbookExecutable.path, ["exec", "lies#hidden", "--env", "test", "--config", config, "--yes"],
                                            environment: env, inheritEnvironment: false)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("docs/lies.md:") && refused.stderr.contains("step 'look' is kind=diagnose but changes state"), "\(refused.stderr)")
        let log = (try? String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8)) ?? ""
        #expect(!log.contains("step-start"), "nothing ran")

        let check = try await ProcessRunner.run(RunbookExecutable.path, ["check", "--config", config, "--skip-site"], environment: env, inheritEnvironment: false)
        #expect(check.status == 1)
        #expect(check.stdout.contains("kind=diagnose but changes state") || check.stderr.contains("kind=diagnose but changes state"), "\(check.stdout)\(check.stderr)")

        let dry = try await ProcessRunner.run(RunbookExecutable.path, ["exec", "lies#unknown", "--env", "test", "--config", config, "--dry-run"],
                                        environment: env, inheritEnvironment: false)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("read-only by the doc's word, not verified"))
        #expect(dry.stdout.contains("asks: nothing"))
    }
}
