import Foundation
import OpsActions
import Testing
import TestSupport

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
}
