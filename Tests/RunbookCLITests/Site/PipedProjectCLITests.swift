import Foundation
import Testing
import TestSupport

/// runbook.toml named by the user is read whatever it is (here a FIFO), once per command; a FIFO
/// found by walking the docs folder is skipped with a warning and never opened, so no command waits.
@Suite("runbook.toml and docs as FIFOs: through the CLI")
struct PipedProjectCLITests {
    static let config = "[site]\ntitle = \"Piped\"\ndocs = \"docs\"\nout = \"site\"\n"
    static let doc = """
        ---
        title: A
        owner: ops
        reviewed: 2026-11-27
        review_every: 90d
        ---

        # A

        ## Check {#check}

        ```bash {id=look kind=diagnose}
        echo ok
        ```
        """

    @Test("runbook.toml as a FIFO: build (twice: no cache shortcut), list and check each read it exactly once")
    func configFIFO() async throws {
        let p = try TempProject(files: ["docs/a.md": Self.doc])
        let writer = try FIFOWriter(path: p.root.appendingPathComponent("runbook.toml").path, text: Self.config)
        defer { writer.stop() }
        let build = try await p.run(["build"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(p.exists("site/a.html"))
        #expect(writer.served == 1)
        let again = try await p.run(["build"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("0 written"))
        #expect(writer.served == 2)
        let list = try await p.run(["list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("a#check"))
        #expect(writer.served == 3)
        _ = try await p.run(["check"])
        #expect(writer.served == 4)
    }

    @Test("a FIFO in the docs folder: build, list and check warn and go on without opening it")
    func docFIFO() async throws {
        let p = try TempProject(files: ["runbook.toml": Self.config, "docs/a.md": Self.doc])
        let writer = try FIFOWriter(path: p.root.appendingPathComponent("docs/stray.md").path, text: "# Stray\n")
        defer { writer.stop() }
        let warning = "runbook: warning: docs/stray.md:0: skipped: it is a FIFO (named pipe), not a regular file; docs are read only from regular files"
        let build = try await p.run(["build"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains(warning), "\(build.stderr)")
        #expect(p.exists("site/a.html") && !p.exists("site/stray.html"))
        let list = try await p.run(["list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stderr.contains(warning), "\(list.stderr)")
        let check = try await p.run(["check"])
        #expect((check.stdout + check.stderr).contains("skipped: it is a FIFO"), "\(check.stdout)\(check.stderr)")
        #expect(writer.served == 0)
    }
}
