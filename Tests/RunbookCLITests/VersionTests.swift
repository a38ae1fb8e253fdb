import Foundation
import Testing
import TestSupport

@Suite("runbook --version")
struct VersionTests {
    @Test("prints the release on one line and exits 0, touching nothing")
    func version() throws {
        let r = try ProcessRunner.run(RunbookExecutable.path, ["--version"], environment: ["PATH": "/usr/bin:/bin"], inheritEnvironment: false)
        #expect(r.status == 0)
        #expect(r.stdout.range(of: #"^runbook \d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(r.stderr.isEmpty)
    }
}
