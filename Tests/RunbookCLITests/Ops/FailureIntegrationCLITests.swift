import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("One clear error for no credentials, a closed port and a hanging endpoint: through the CLI")
struct FailureIntegrationCLITests {
    @Test("CLI: no credentials is one line listing where it looked, exit 1")
    func noCredentialsCLI() async throws {
        let home = try TempHome()
        guard let r = try await RunbookBinary.run(["ecs", "status", "--cluster", "c", "--service", "s", "--region", "ap-northeast-2"],
                                            environment: ["HOME": home.path]) else { return }
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("runbook: no AWS credentials found; looked in: environment"))
        #expect(r.stderr.contains(home.path + "/.aws/credentials"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test("CLI: a hanging endpoint fails with the timeout given by --request-timeout")
    func hangingCLI() async throws {
        let hang = try HangingServer()
        let home = try TempHome()
        let env = ["HOME": home.path, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "fake",
                   "AWS_ENDPOINT_URL_ECS": hang.endpoint.absoluteString]
        guard let r = try await RunbookBinary.run(["ecs", "status", "--cluster", "c", "--service", "s", "--region", "ap-northeast-2",
                                             "--request-timeout", "1"], environment: env) else { return }
        #expect(r.status == 1)
        #expect(r.stderr.contains("127.0.0.1:\(hang.port) did not answer within 1s"))
    }
}
