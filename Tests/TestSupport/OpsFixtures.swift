import Foundation
import OpsActions

/// One moto server for the logs, RDS, STS and S3 suites (each test uses its own resource names).
public enum OpsMoto {
    public static let shared: Result<MotoServer, any Error> = Result { try MotoServer() }
    public static func server() throws -> MotoServer { try shared.get() }
}

/// Canary secrets placed in the CLI's environment; none may ever show up in its output.
public enum Canary {
    public static let awsSecret = "canarySECRETaws0123456789abcdefXYZ"
    public static let webhookToken = "canaryWEBHOOKtoken9876"
    public static let redisPassword = "canaryREDISpass4242"

    /// The environment that points the CLI's AWS calls at `moto`, with the canary secret key.
    public static func awsEnvironment(_ moto: MotoServer, region: String = "ap-northeast-2") -> [String: String] {
        ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": awsSecret, "AWS_REGION": region,
         "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "HOME": FileManager.default.temporaryDirectory.path]
    }
}

/// A scratch folder removed when released.
public final class ScratchDirectory {
    public let url: URL
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A runbook.toml with one environment `t` of the given keys (values quoted as TOML strings).
public func writeRunbookConfig(_ dir: ScratchDirectory, _ keys: [String: String]) throws -> String {
    var text = "[site]\ntitle = \"t\"\n\n[env.t]\n"
    for (k, v) in keys.sorted(by: { $0.key < $1.key }) { text += "\(k) = \"\(v)\"\n" }
    let path = dir.path("runbook.toml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
