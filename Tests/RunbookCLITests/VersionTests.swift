import Foundation
import Testing
import TestSupport

@Suite("runbook --version")
struct VersionTests {
    @Test("prints the release on one line and exits 0, touching nothing")
    func version() async throws {
        let r = try await ProcessRunner.run(RunbookExecutable.path, ["--version"], environment: ["PATH": "/usr/bin:/bin"], inheritEnvironment: false)
        #expect(r.status == 0)
        #expect(r.stdout.range(of: #"^runbook \d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(r.stderr.isEmpty)
    }
}

@Suite("Usage errors")
struct UsageErrorTests {
    @Test("a wrong flag or a missing argument exits 2, as the README says, with the usage")
    func usageErrorsExitTwo() async throws {
        for args in [["build", "--no-such-flag"], ["exec"], ["audit", "show", "--last", "many"]] {
            let r = try await ProcessRunner.run(RunbookExecutable.path, args, environment: ["PATH": "/usr/bin:/bin"], inheritEnvironment: false)
            #expect(r.status == 2, "\(args): \(r.status)")
            #expect(r.stderr.contains("Usage:") || r.stderr.contains("Error:"), "\(args): \(r.stderr)")
        }
    }
}
