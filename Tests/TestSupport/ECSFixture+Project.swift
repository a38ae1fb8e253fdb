import Foundation

/// A project folder whose runbook.toml has a `staging` environment naming an `ECSFixture`'s service.
public struct ECSProject {
    public let home: TempHome
    public let dir: String
    public let env: [String: String]

    /// `endpoint` defaults to the fixture's moto; `account` and `protected` go into the environment.
    public init(_ f: ECSFixture, endpoint: URL? = nil, account: String? = nil, protected: Bool = false) throws {
        home = try TempHome()
        dir = home.path + "/project"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
            [env.staging]
            region = "ap-northeast-2"
            cluster = "\(f.cluster)"
            service = "\(f.service)"
            \(account.map { "aws_account = \"\($0)\"" } ?? "")
            protected = \(protected)
            """.write(toFile: dir + "/runbook.toml", atomically: true, encoding: .utf8)
        env = ["HOME": home.path, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "moto-fake-secret",
               "AWS_ENDPOINT_URL": (endpoint ?? f.moto.endpoint).absoluteString, "RUNBOOK_STATE_DIR": f.stateDir,
               "RUNBOOK_AUDIT_LOG": home.path + "/audit.jsonl"]
    }
}
