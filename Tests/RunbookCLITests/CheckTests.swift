import Foundation
import Testing

@Suite struct CheckTests {
    static let goodConfig = """
    [site]
    docs = "docs"
    out = "site"

    [env.staging]
    region = "ap-northeast-2"
    aws_account = "123456789012"
    cluster = "c"
    service = "s"
    log_group = "/ecs/s"
    health_url = "http://127.0.0.1:1/health"

    [env.production]
    region = "ap-northeast-2"
    aws_account = "210987654321"
    cluster = "c"
    service = "s"
    log_group = "/ecs/s"
    health_url = "http://127.0.0.1:1/health"
    protected = true
    """

    static func front(reviewed: String = "2026-11-01", every: String = "90d", owner: String? = "sre") -> String {
        "---\ntitle: T\n" + (owner.map { "owner: \($0)\n" } ?? "") + "reviewed: \(reviewed)\nreview_every: \(every)\n---\n"
    }

    /// Docs that are each sound: the "fixed" set.
    static func goodFiles() -> [String: String] {
        [
            "runbook.toml": goodConfig,
            "scripts/rollback.sh": "#!/bin/sh\necho rollback\n",
            "docs/a.md": front() + "\n# A\n\n## Roll {#roll}\n\n```bash {id=go kind=act}\n./scripts/rollback.sh\n```\n\nSee [b](b.md#there) and run `runbook exec a#roll`.\n",
            "docs/b.md": front() + "\n# B\n\n## There {#there}\n\n```bash {id=look kind=diagnose}\naws ecs describe-services --cluster ${CLUSTER} --services ${SERVICE}\n```\n",
        ]
    }

    struct Finding: Decodable, Equatable, CustomStringConvertible {
        var file: String
        var line: Int
        var severity: String
        var code: String
        var message: String
        var description: String { "\(file):\(line) \(severity) \(code) \(message)" }
    }

    func check(_ p: TempProject, _ extra: [String] = []) async throws -> (status: Int32, findings: [Finding]) {
        let r = try await p.run(["check", "--format", "json", "--today", "2026-11-27"] + extra)
        let findings = try JSONDecoder().decode([Finding].self, from: Data(r.stdout.utf8))
        return (r.status, findings)
    }

    func makeProject(_ files: [String: String]) throws -> TempProject {
        let p = try TempProject(files: files)
        chmod(p.root.appendingPathComponent("scripts/rollback.sh").path, 0o755)
        return p
    }

    @Test func soundDocsReportNothing() async throws {
        let p = try makeProject(Self.goodFiles())
        await #expect(try p.run(["build"]).status == 0)
        let (status, findings) = try await check(p)
        #expect(findings == [], "\(findings)")
        #expect(status == 0)
        let text = try await p.run(["check", "--today", "2026-11-27"])
        #expect(text.status == 0 && text.stdout.contains("all docs fresh and sound"))
    }

    @Test func everyDefectIsReportedOnceWithFileLineAndCode() async throws {
        var files = Self.goodFiles()
        files["docs/c-owner.md"] = Self.front(owner: nil) + "\n# C\n"
        files["docs/d-future.md"] = Self.front(reviewed: "2027-01-01") + "\n# D\n"
        files["docs/e-overdue.md"] = Self.front(reviewed: "2026-08-01", every: "90d") + "\n# E\n"
        files["docs/f-soon.md"] = Self.front(reviewed: "2026-09-01", every: "90d") + "\n# F\n"
        files["docs/g-attr.md"] = Self.front() + "\n# G\n\n```bash {id=x tiemout=5s}\necho\n```\n"
        files["docs/h-dup.md"] = Self.front() + "\n# H\n\n```bash {id=x}\necho\n```\n\n```bash {id=x}\necho\n```\n"
        files["docs/i-cond.md"] = Self.front() + "\n# I\n\n```bash {id=x if=failed:later}\necho\n```\n\n```bash {id=later}\necho\n```\n"
        files["docs/j-param.md"] = Self.front() + "\n# J\n\n```bash {id=x kind=diagnose}\naws logs tail ${NOPE} --since 1m\n```\n"
        files["docs/k-script.md"] = Self.front() + "\n# K\n\n```bash {id=x kind=act}\n./scripts/gone.sh\n```\n"
        files["docs/l-link.md"] = Self.front() + "\n# L\n\n[x](b.md#nowhere)\n"
        files["docs/m-exec.md"] = Self.front() + "\n# M\n\nRun `runbook exec b#missing` now.\n"
        files["scripts/plain.sh"] = "#!/bin/sh\n"
        files["docs/n-noexec.md"] = Self.front() + "\n# N\n\n```bash {id=x kind=act}\n./scripts/plain.sh\n```\n"
        files["docs/o-flag.md"] = Self.front() + "\n# O\n\n```bash {id=x kind=act}\naws ecs update-service --clustr c --service s --force-new-deployment\n```\n"
        files["runbook.toml"] = Self.goodConfig.replacingOccurrences(of: "protected = true", with: "")
            .replacingOccurrences(of: "cluster = \"c\"\nservice = \"s\"\nlog_group = \"/ecs/s\"\nhealth_url = \"http://127.0.0.1:1/health\"\n\n[env.production]",
                                  with: "cluster = \"c\"\nservice = \"s\"\nlog_group = \"/ecs/s\"\n\n[env.production]")
        let p = try makeProject(files)
        chmod(p.root.appendingPathComponent("scripts/plain.sh").path, 0o644)
        let (status, findings) = try await check(p, ["--skip-site"])
        #expect(status == 1)
        let got = findings.map { "\($0.file):\($0.line) \($0.code)" }
        #expect(got == [
            "docs/c-owner.md:1 front-matter-missing-key",
            "docs/d-future.md:4 review-in-future",
            "docs/e-overdue.md:4 review-overdue",
            "docs/f-soon.md:4 review-due-soon",
            "docs/g-attr.md:10 step-unknown-attribute",
            "docs/h-dup.md:14 step-duplicate-id",
            "docs/i-cond.md:10 step-condition",
            "docs/j-param.md:10 step-plan",
            "docs/k-script.md:10 missing-file",
            "docs/l-link.md:10 link-broken",
            "docs/m-exec.md:10 exec-reference",
            "docs/n-noexec.md:10 missing-file",
            "docs/o-flag.md:10 step-plan",
            "runbook.toml:5 config",
            "runbook.toml:12 config",
        ], "\(findings)")
        #expect(findings.first { $0.code == "review-due-soon" }?.severity == "warning")
        #expect(findings.filter { $0.severity == "error" }.count == findings.count - 1)
        #expect(findings.first { $0.file == "runbook.toml" && $0.line == 5 }?.message.contains("health_url") == true)
        #expect(findings.first { $0.file == "docs/o-flag.md" }?.message.contains("--clustr (did you mean --cluster?)") == true)
        #expect(findings.first { $0.file == "runbook.toml" && $0.line == 12 }?.message.contains("protected") == true)
    }

    @Test func staleSiteIsAnError() async throws {
        let p = try makeProject(Self.goodFiles())
        await #expect(try p.run(["build"]).status == 0)
        try Data((Self.goodFiles()["docs/a.md"]! + "\nmore\n").utf8).write(to: p.root.appendingPathComponent("docs/a.md"))
        let (status, findings) = try await check(p)
        #expect(status == 1)
        #expect(findings.map(\.code) == ["site-stale"])
        #expect(findings.first?.message.contains("a.html") == true)
    }

    @Test(arguments: [
        ("2026-11-01", "fresh"), ("2027-01-16", "fresh"), ("2027-01-17", "soon"), ("2027-01-30", "soon"),
        ("2027-01-31", "soon"), ("2027-02-01", "overdue"),
    ])
    func todayMovesADocFromFreshToDueSoonToOverdue(_ today: String, _ expected: String) async throws {
        // reviewed 2026-11-01 + 91d = due 2027-01-31.
        var files = Self.goodFiles()
        files["docs/a.md"] = Self.front(reviewed: "2026-11-01", every: "13w") + "\n# A\n"
        files["docs/b.md"] = Self.front(reviewed: "2026-11-01", every: "13w") + "\n# B\n"
        let p = try makeProject(files)
        let r = try await p.run(["check", "--format", "json", "--skip-site", "--today", today])
        let findings = try JSONDecoder().decode([Finding].self, from: Data(r.stdout.utf8)).filter { $0.file == "docs/a.md" }
        switch expected {
        case "fresh": #expect(findings.isEmpty && r.status == 0, "\(findings)")
        case "soon": #expect(findings.map(\.code) == ["review-due-soon"] && r.status == 0, "\(findings)")
        default: #expect(findings.map(\.code) == ["review-overdue"] && r.status == 1, "\(findings)")
        }
    }

    @Test func githubFormatPrintsAnnotations() async throws {
        var files = Self.goodFiles()
        files["docs/e.md"] = Self.front(reviewed: "2026-01-01", every: "30d") + "\n# E\n"
        let p = try makeProject(files)
        let r = try await p.run(["check", "--format", "github", "--skip-site", "--today", "2026-11-27"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 1)
        let pattern = #/^::(error|warning) file=[^,:]+,line=\d+,title=[a-z-]+::.+$/#
        #expect(lines.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(lines)")
        #expect(lines.first?.hasPrefix("::error file=docs/e.md,line=4,title=review-overdue::") == true)
    }

    @Test func configErrorIsAFindingToo() async throws {
        var files = Self.goodFiles()
        files["runbook.toml"] = Self.goodConfig + "\nsecret_token = \"x\"\n"
        let p = try makeProject(files)
        let (status, findings) = try await check(p)
        #expect(status == 1)
        #expect(findings.map { "\($0.file):\($0.line) \($0.code)" } == ["runbook.toml:21 config"])
    }
}
