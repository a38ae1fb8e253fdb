import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Signatures checked for real (moto with authentication on): through the CLI")
struct AuthIntegrationCLITests {
    @Test("through the CLI: a wrong secret exits 1 with one clear line that does not show the secret")
    func wrongSecretCLI() async throws {
        let a = try AuthMoto.shared.get()
        let home = try TempHome()
        let env = ["HOME": home.path, "AWS_ACCESS_KEY_ID": a.keyID, "AWS_SECRET_ACCESS_KEY": "wrong-secret-for-test",
                   "AWS_REGION": "ap-northeast-2", "AWS_ENDPOINT_URL": a.moto.endpoint.absoluteString]
        guard let r = try await RunbookBinary.run(["ecs", "status", "--cluster", "auth-cluster", "--service", "api"], environment: env) else { return }
        #expect(r.status == 1)
        #expect(r.stderr.contains("ECS DescribeServices failed"))
        #expect(r.stderr.contains("rejected the credentials from environment"))
        #expect(!r.stderr.contains("wrong-secret-for-test"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
