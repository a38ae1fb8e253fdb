import Foundation
import Testing

@Suite struct BuildAndListTests {
    static let config = """
    [site]
    title = "Ops"
    docs = "docs"
    out = "site"
    """

    static let incident = """
    ---
    title: 장애 대응
    owner: backend-oncall
    reviewed: 2026-11-27
    review_every: 90d
    ---

    # 장애 대응 가이드

    롤백은 [운영 매뉴얼](runbook.md#rollback)을 보세요. <script>alert(1)</script>
    [나쁜 링크](javascript:alert(1)) 와 [데이터](data:text/html;base64,PHNjcmlwdD4=)

    <div onclick="x()">raw</div>

    ## API 서버 무응답 {#api-down}

    ```bash {id=health-before kind=diagnose timeout=10s}
    curl -fsS --max-time 5 ${HEALTH_URL}
    ```

    ```bash {id=redeploy kind=act}
    aws ecs update-service --cluster ${CLUSTER} --service ${SERVICE} --force-new-deployment
    ```
    """

    static let runbook = """
    ---
    title: 운영 매뉴얼
    owner: sre
    reviewed: 2026-11-01
    review_every: 30d
    ---

    # 운영 매뉴얼

    ## 롤백 {#rollback}

    ```bash {id=rollback kind=act}
    ./scripts/rollback.sh
    ```
    """

    func project() throws -> TempProject {
        try TempProject(files: ["runbook.toml": Self.config, "docs/incident-response.md": Self.incident, "docs/runbook.md": Self.runbook])
    }

    @Test func buildWritesPagesWithHeadingIdsAndNoLiveScript() async throws {
        let p = try project()
        let r = try await p.run(["build"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(p.exists("site/index.html") && p.exists("site/runbook.html") && p.exists("site/style.css"))
        let page = try p.read("site/incident-response.html")
        #expect(page.contains("<h2 id=\"api-down\">API 서버 무응답"))
        #expect(!page.contains("{#api-down}"))
        #expect(page.contains("href=\"runbook.html#rollback\""))
        #expect(page.contains("runbook exec incident-response#api-down --only redeploy"))
        #expect(!page.contains("<script>alert"), "raw HTML must be escaped")
        #expect(page.contains("&lt;script&gt;"), "the tag shows as text")
        #expect(!page.contains("<div onclick"))
        #expect(!page.lowercased().contains("href=\"javascript:"))
        #expect(!page.contains("href=\"data:"))
        let index = try p.read("site/index.html")
        #expect(index.contains("운영 매뉴얼") && index.contains("장애 대응"))
        #expect(index.contains("incident-response.html#api-down"))

        let pages = ["index.html", "incident-response.html", "runbook.html"].map { p.root.appendingPathComponent("site/" + $0) }
        await #expect(try HTML5Validator.errors(in: pages) == [])
    }

    @Test func rebuildRewritesNothingAndCheckSeesStaleness() async throws {
        let p = try project()
        await #expect(try p.run(["build"]).status == 0)
        let second = try await p.run(["build"])
        #expect(second.stdout.contains("0 written"), "\(second.stdout)")
        await #expect(try p.run(["build", "--check"]).status == 0)

        try Data((Self.runbook + "\n추가 문단\n").utf8).write(to: p.root.appendingPathComponent("docs/runbook.md"))
        try Data("stray".utf8).write(to: p.root.appendingPathComponent("site/old.html"))
        let check = try await p.run(["build", "--check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("stale   site/runbook.html") || check.stdout.contains("/runbook.html"))
        #expect(check.stdout.contains("extra") && check.stdout.contains("old.html"))
        #expect(!check.stdout.contains("incident-response.html"))
    }

    @Test func brokenDocStopsTheBuildWithFileAndLineAndKeepsTheOldSite() async throws {
        let p = try project()
        await #expect(try p.run(["build"]).status == 0)
        let before = try p.read("site/runbook.html")
        let broken = Self.runbook.replacingOccurrences(of: "{id=rollback kind=act}", with: "{id=rollback kind=act tiemout=5s}")
        try Data(broken.utf8).write(to: p.root.appendingPathComponent("docs/runbook.md"))
        let r = try await p.run(["build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("docs/runbook.md:12: error: unknown step attribute 'tiemout'"), "\(r.stderr)")
        #expect(try p.read("site/runbook.html") == before)
    }

    @Test func brokenLinkIsAnErrorWithItsLine() async throws {
        let p = try project()
        let doc = Self.incident.replacingOccurrences(of: "runbook.md#rollback", with: "runbook.md#roll-back")
        try Data(doc.utf8).write(to: p.root.appendingPathComponent("docs/incident-response.md"))
        let r = try await p.run(["build"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("docs/incident-response.md:10: error: broken link 'runbook.md#roll-back'"), "\(r.stderr)")
        #expect(!p.exists("site/index.html"))
    }

    @Test func listShowsExecutableSectionsAndSteps() async throws {
        let p = try project()
        let r = try await p.run(["list"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("incident-response#api-down"))
        #expect(r.stdout.contains("runbook#rollback"))
        let json = try await p.run(["list", "--json"])
        struct Entry: Decodable { var target: String; var steps: [StepEntry] }
        struct StepEntry: Decodable { var id: String; var kind: String; var parameters: [String] }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(json.stdout.utf8))
        let api = try #require(entries.first { $0.target == "incident-response#api-down" })
        #expect(api.steps.map(\.id) == ["health-before", "redeploy"])
        #expect(api.steps.map(\.kind) == ["diagnose", "act"])
        #expect(api.steps[1].parameters == ["CLUSTER", "SERVICE"])
    }

    @Test func missingConfigIsOneClearLine() async throws {
        let p = try TempProject(files: [:])
        try FileManager.default.createDirectory(at: p.root, withIntermediateDirectories: true)
        let r = try await p.run(["list"])
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("runbook.toml") && r.stderr.contains("cannot read"))
    }
}
