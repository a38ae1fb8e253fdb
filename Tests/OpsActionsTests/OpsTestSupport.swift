import Foundation
import OpsActions
import Testing
import TestSupport

/// One moto server for the logs, RDS, STS and S3 suites (each test uses its own resource names).
enum OpsMoto {
    static let shared: Result<MotoServer, any Error> = Result { try MotoServer() }
    static func server() throws -> MotoServer { try shared.get() }
}

/// Canary secrets placed in the CLI's environment; none may ever show up in its output.
enum Canary {
    static let awsSecret = "canarySECRETaws0123456789abcdefXYZ"
    static let webhookToken = "canaryWEBHOOKtoken9876"
    static let redisPassword = "canaryREDISpass4242"

    /// The environment that points the CLI's AWS calls at `moto`, with the canary secret key.
    static func awsEnvironment(_ moto: MotoServer, region: String = "ap-northeast-2") -> [String: String] {
        ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": awsSecret, "AWS_REGION": region,
         "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "HOME": FileManager.default.temporaryDirectory.path]
    }

    /// Records an issue for every canary found in stdout or stderr, without printing the secret.
    static func expectAbsent(_ result: RunbookBinary.Result, _ secrets: [String] = [awsSecret, webhookToken, redisPassword],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, s) in secrets.enumerated() {
            #expect(!result.stdout.contains(s), "canary secret #\(i) appeared on stdout", sourceLocation: sourceLocation)
            #expect(!result.stderr.contains(s), "canary secret #\(i) appeared on stderr", sourceLocation: sourceLocation)
        }
    }
}

/// A scratch folder removed when released.
final class ScratchDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A runbook.toml with one environment `t` of the given keys (values quoted as TOML strings).
func writeRunbookConfig(_ dir: ScratchDirectory, _ keys: [String: String]) throws -> String {
    var text = "[site]\ntitle = \"t\"\n\n[env.t]\n"
    for (k, v) in keys.sorted(by: { $0.key < $1.key }) { text += "\(k) = \"\(v)\"\n" }
    let path = dir.path("runbook.toml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
