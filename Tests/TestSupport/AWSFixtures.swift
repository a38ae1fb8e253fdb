import Foundation
import OpsActions

/// A temporary HOME with optional ~/.aws files, removed when the test ends.
public final class TempHome {
    public let path: String

    public init(credentials: String? = nil, config: String? = nil) throws {
        path = NSTemporaryDirectory() + "runbook-home-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
        if let credentials { try credentials.write(toFile: path + "/.aws/credentials", atomically: true, encoding: .utf8) }
        if let config { try config.write(toFile: path + "/.aws/config", atomically: true, encoding: .utf8) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func resolver(_ env: [String: String] = [:]) -> AWSSettingsResolver {
        AWSSettingsResolver(environment: env, home: path)
    }
}

/// moto with signature checking on: an IAM user with an access key, created before auth is enabled.
public final class AuthMoto: @unchecked Sendable {
    public let moto: MotoServer
    public let keyID: String
    public let secret: String

    public static let shared: Result<AuthMoto, any Error> = Result { try AuthMoto() }

    public init() throws {
        moto = try MotoServer()
        (keyID, secret) = try moto.createAdminUser(name: "runbook-operator")
        try moto.json(.ecs, "CreateCluster", ["clusterName": "auth-cluster"])
        try moto.enableAuthentication()
    }
}
