import Foundation
import OpsActions
import Testing
import TestSupport

/// moto with signature checking on: an IAM user with an access key, created before auth is enabled.
final class AuthMoto: @unchecked Sendable {
    let moto: MotoServer
    let keyID: String
    let secret: String

    static let shared: Result<AuthMoto, any Error> = Result { try AuthMoto() }

    private init() throws {
        moto = try MotoServer()
        (keyID, secret) = try moto.createAdminUser(name: "runbook-operator")
        try moto.json(.ecs, "CreateCluster", ["clusterName": "auth-cluster"])
        try moto.enableAuthentication()
    }
}

@Suite("Signatures checked for real (moto with authentication on)")
struct AuthIntegrationTests {
    @Test("the right key works for ECS and STS")
    func rightKey() throws {
        let a = try AuthMoto.shared.get()
        let settings = a.moto.settings(accessKeyID: a.keyID, secret: a.secret)
        let identity = try STSClient(settings: settings).getCallerIdentity()
        #expect(identity.arn.hasSuffix(":user/runbook-operator"))
        let out = try ECSClient(settings: settings).describeServices(cluster: "auth-cluster", services: ["none"])
        #expect(out.services.isEmpty)
    }

    @Test("a wrong secret fails with a clear authentication error, for ECS and STS")
    func wrongSecret() throws {
        let a = try AuthMoto.shared.get()
        let settings = a.moto.settings(accessKeyID: a.keyID, secret: "wrong-secret-for-test")
        #expect { try ECSClient(settings: settings).describeServices(cluster: "auth-cluster", services: ["none"]) } throws: { e in
            guard let e = e as? AWSError else { return false }
            return e.isAuthenticationFailure && "\(e)".contains("ECS DescribeServices failed") && "\(e)".contains("rejected the credentials")
        }
        #expect { try STSClient(settings: settings).getCallerIdentity() } throws: { e in
            (e as? AWSError)?.isAuthenticationFailure == true && "\(e)".contains("STS GetCallerIdentity failed")
        }
    }

    @Test("through the CLI: a wrong secret exits 1 with one clear line that does not show the secret")
    func wrongSecretCLI() throws {
        let a = try AuthMoto.shared.get()
        let home = try TempHome()
        let env = ["HOME": home.path, "AWS_ACCESS_KEY_ID": a.keyID, "AWS_SECRET_ACCESS_KEY": "wrong-secret-for-test",
                   "AWS_REGION": "ap-northeast-2", "AWS_ENDPOINT_URL": a.moto.endpoint.absoluteString]
        guard let r = try RunbookBinary.run(["ecs", "status", "--cluster", "auth-cluster", "--service", "api"], environment: env) else { return }
        #expect(r.status == 1)
        #expect(r.stderr.contains("ECS DescribeServices failed"))
        #expect(r.stderr.contains("rejected the credentials from environment"))
        #expect(!r.stderr.contains("wrong-secret-for-test"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
