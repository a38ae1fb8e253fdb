import Foundation
import OpsActions
import Testing
import TestSupport

/// Every AWS command of the CLI (Sources/runbook: ecs, logs, rds, s3, the AWS steps and audit copy
/// of exec, audit verify --cloudwatch) with the AWS CLI's files as a CI job isolates them
/// (`/dev/null`) and as pipes a secrets tool fills (FIFOs), against moto.
///
/// `exec --dry-run` is not among them: a dry run binds no `<task-id>` and resolves no AWS settings.
@Suite("AWS commands with AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE as /dev/null or FIFOs: through the CLI")
struct AWSFileKindsCLITests {
    enum Files: String, CaseIterable, CustomTestStringConvertible {
        /// Both /dev/null; keys and region from the environment.
        case devNull
        /// Both FIFOs a writer fills with the keys and the region (and runbook.toml a FIFO too); none in the environment.
        case fifos

        var testDescription: String { rawValue }
    }

    static let doc = """
        ---
        title: Identity drill
        owner: ops
        reviewed: 2026-11-27
        review_every: 90d
        ---

        # Identity drill

        ### Who am I {#identity}

        ```bash {id=who kind=diagnose}
        aws sts get-caller-identity
        ```
        """

    /// Resources in moto, a project folder, and the commands to run.
    struct World {
        let scratch: ScratchDirectory
        let fixture: ECSFixture
        let logGroup: String
        let instance: String
        let auditGroup: String
        /// Where runbook.toml goes (a file or a FIFO, by the test).
        let config: String
        let commands: [[String]]

        /// runbook.toml: environment `t` names the resources but no region (that comes from the
        /// AWS config file, or AWS_REGION); exec copies its audit records to `auditGroup`.
        var toml: String {
            """
            [site]
            title = "File kinds"
            docs = "docs"

            [audit]
            cloudwatch_log_group = "\(auditGroup)"

            [env.t]
            cluster = "\(fixture.cluster)"
            service = "\(fixture.service)"
            log_group = "\(logGroup)"
            db_instance = "\(instance)"
            """
        }
    }

    func world(_ moto: MotoServer) throws -> World {
        let scratch = try ScratchDirectory()
        let id = UUID().uuidString.prefix(8).lowercased()
        let fixture = try ECSFixture(moto: moto)
        let logGroup = "/ecs/file-kinds-\(id)", auditGroup = "/runbook/file-kinds-\(id)"
        try moto.json(.logs, "CreateLogGroup", ["logGroupName": logGroup])
        try moto.json(.logs, "CreateLogGroup", ["logGroupName": auditGroup])
        try moto.json(.logs, "CreateLogStream", ["logGroupName": logGroup, "logStreamName": "web/1"])
        try moto.json(.logs, "PutLogEvents", ["logGroupName": logGroup, "logStreamName": "web/1", "logEvents": [
            ["timestamp": Int64(Date().timeIntervalSince1970 * 1000) - 60_000, "message": "hello from moto"],
        ]])
        let instance = "pg-\(id)"
        _ = try RDSClient(settings: moto.settings()).aws.callQuery("CreateDBInstance", parameters: [
            (name: "DBInstanceIdentifier", value: instance), (name: "Engine", value: "postgres"),
            (name: "DBInstanceClass", value: "db.t3.micro"), (name: "AllocatedStorage", value: "20"),
            (name: "MasterUsername", value: "ops"), (name: "MasterUserPassword", value: "not-a-real-password-1"),
        ])
        let bucket = "file-kinds-\(id)"
        try S3Client(settings: moto.settings()).createBucket(bucket)
        let upload = scratch.path("backup.bin"), download = scratch.path("restored.bin")
        try Data("backup bytes\n".utf8).write(to: URL(fileURLWithPath: upload))

        try FileManager.default.createDirectory(atPath: scratch.path("project/docs"), withIntermediateDirectories: true)
        try Data(Self.doc.utf8).write(to: URL(fileURLWithPath: scratch.path("project/docs/drill.md")))
        let config = scratch.path("project/runbook.toml")
        let target = ["--env", "t", "--config", config]
        let commands: [[String]] = [
            ["ecs", "status"] + target,
            ["ecs", "wait", "--delay", "0.2", "--timeout", "20"] + target,
            ["ecs", "redeploy", "--yes", "--no-wait"] + target,
            ["ecs", "rollback", "--yes", "--no-wait", "--force"] + target,
            ["logs", "tail", "--since", "10m"] + target,
            ["rds", "status"] + target,
            ["s3", "cp", upload, "s3://\(bucket)/daily/backup.bin"] + target,
            ["s3", "cp", "s3://\(bucket)/daily/backup.bin", download] + target,
            ["exec", "drill#identity", "--yes"] + target,
            ["audit", "verify", "--cloudwatch", auditGroup] + target,
        ]
        return World(scratch: scratch, fixture: fixture, logGroup: logGroup, instance: instance, auditGroup: auditGroup,
                     config: config, commands: commands)
    }

    @Test("every AWS command works", arguments: Files.allCases)
    func everyCommand(_ files: Files) async throws {
        let moto = try SharedMoto.server()
        let w = try world(moto)
        // A HOME whose ~/.aws files cannot be read: any command that read them instead would fail.
        let home = w.scratch.path("home")
        try FileManager.default.createDirectory(atPath: home + "/.aws/config", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/.aws/credentials", withIntermediateDirectories: true)
        var env = ["HOME": home, "PATH": "/usr/local/bin:/usr/bin:/bin", "AWS_ENDPOINT_URL": moto.endpoint.absoluteString,
                   "RUNBOOK_STATE_DIR": w.scratch.path("state"), "RUNBOOK_AUDIT_LOG": w.scratch.path("audit.jsonl")]
        var writers: [FIFOWriter] = []
        defer { writers.forEach { $0.stop() } }
        switch files {
        case .devNull:
            try Data(w.toml.utf8).write(to: URL(fileURLWithPath: w.config))
            env["AWS_CONFIG_FILE"] = "/dev/null"
            env["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
            env["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
            env["AWS_SECRET_ACCESS_KEY"] = Canary.awsSecret
            env["AWS_REGION"] = "ap-northeast-2"
        case .fifos:
            writers.append(try FIFOWriter(path: w.config, text: w.toml))
            writers.append(try FIFOWriter(path: w.scratch.path("aws-config"), text: "[default]\nregion = ap-northeast-2\n"))
            writers.append(try FIFOWriter(path: w.scratch.path("aws-credentials"),
                                          text: "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = \(Canary.awsSecret)\n"))
            env["AWS_CONFIG_FILE"] = writers[1].path
            env["AWS_SHARED_CREDENTIALS_FILE"] = writers[2].path
        }
        for args in w.commands {
            let r = try #require(try await RunbookBinary.run(args, environment: env, directory: w.scratch.path("project")))
            #expect(r.status == 0, "runbook \(args.prefix(3).joined(separator: " ")): \(r.stderr)")
            Canary.expectAbsent(r)
        }
        #expect(try String(contentsOfFile: w.scratch.path("restored.bin"), encoding: .utf8) == "backup bytes\n")
        if files == .fifos {
            // Each command read runbook.toml and both AWS files at least once, through the pipes.
            for writer in writers {
                #expect(writer.served >= w.commands.count, "\(writer.path) was read \(writer.served) times")
            }
        }
    }
}
