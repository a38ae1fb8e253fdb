import Foundation
import OpsActions
import Synchronization
import SystemIO
import Testing
import TestSupport

/// `runbook exec` of the team's own docs (docs/operations and scripts/ copied into a temp project)
/// against real servers on loopback: moto for AWS, a local health/Prometheus/Slack server,
/// redis-server and PostgreSQL. Each test has its own servers, so the suite runs in parallel.
@Suite("runbook exec end to end")
struct ExecEndToEndTests {
    /// Obviously fake secrets: neither may appear in any output or the audit log.
    static let awsSecret = "moto-canary-secret-6c1f9a"
    static let webhookPath = "/services/T0CANARY/B0CANARY/canary-webhook-93b2"

    // MARK: - incident-response#api-down

    @Test("api-down: health fails before, recovers after the redeploy: no rollback, exit 0")
    func apiDownRecoversAfterRedeploy() async throws {
        let t = try await ExecTestbed.start(health: [503])
        let r = try await t.run(["exec", "incident-response#api-down", "--env", "staging", "--yes"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(try t.serviceRevision() == 3, "the redeploy keeps the task definition; no rollback")
        let ends = try t.stepEnds()
        #expect(ends["health-before"] == "failed")
        #expect(ends["tasks"] == "ok")
        #expect(ends["logs"] == "ok")
        #expect(ends["redeploy"] == "ok")
        #expect(ends["health-after"] == "ok")
        #expect(ends["rollback"] == "skipped")
        #expect(r.stdout.contains("[logs] "), "the log events are streamed")
        #expect(r.stdout.contains("payment timeout"), "a seeded log event shows")
        #expect(r.stdout.contains("RUNNING"), "describe-tasks shows the service's task")
        let redeploy = try #require(try t.records().first { $0["event"] as? String == "step-end" && $0["step"] as? String == "redeploy" })
        #expect((redeploy["before"] as? [String: String])?["task_definition"]?.hasSuffix("mindhit-api:3") == true)
        #expect(try await t.run(["audit", "verify", "--log", t.auditLog]).status == 0)
        // Slack: start, the failed health check, end with the chain head the runner printed.
        let notices = t.slackTexts()
        #expect(notices.count == 3, "\(notices)")
        #expect(notices.first?.contains("started on *staging*") == true)
        #expect(notices.dropFirst().first?.contains("step `health-before` failed") == true)
        let head = try #require(r.stdout.firstMatch(of: /chain head ([0-9a-f]{64})/)?.output.1)
        #expect(t.slackPayloads().last?["audit_chain_head"] == String(head))
        t.expectNoSecrets(in: r)
    }

    @Test("api-down: health still failing after the redeploy: rollback to the previous ACTIVE revision")
    func apiDownRollsBack() async throws {
        let t = try await ExecTestbed.start(health: [503, 503])
        let r = try await t.run(["exec", "incident-response#api-down", "--env", "staging", "--yes"])
        #expect(r.status == 0, "health passes after the rollback\n\(r.stdout)\n\(r.stderr)")
        #expect(try t.serviceRevision() == 2)
        let ends = try t.stepEnds()
        #expect(ends["health-after"] == "failed")
        #expect(ends["rollback"] == "ok")
        #expect(ends["health-after-rollback"] == "ok")
        let rollback = try #require(try t.records().first { $0["event"] as? String == "step-end" && $0["step"] as? String == "rollback" })
        #expect((rollback["before"] as? [String: String])?["task_definition"]?.hasSuffix("mindhit-api:3") == true)
        #expect((rollback["after"] as? [String: String])?["task_definition"]?.hasSuffix("mindhit-api:2") == true)
        #expect(try await t.run(["audit", "verify", "--log", t.auditLog]).status == 0)
        #expect(t.slackTexts().contains { $0.contains("step `health-after` failed") })
        t.expectNoSecrets(in: r)
    }

    @Test("api-down without a terminal and without --yes changes nothing and records the refusal")
    func apiDownRefusesWithoutYes() async throws {
        let t = try await ExecTestbed.start(health: [503])
        let before = try t.moto.json(.ecs, "DescribeServices", ["cluster": "mindhit-cluster", "services": ["mindhit-api"]],
                                     settings: t.moto.settings(region: "ap-northeast-2"))
        let r = try await t.run(["exec", "incident-response#api-down", "--env", "staging"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--yes"))
        let after = try t.moto.json(.ecs, "DescribeServices", ["cluster": "mindhit-cluster", "services": ["mindhit-api"]],
                                    settings: t.moto.settings(region: "ap-northeast-2"))
        #expect(NSDictionary(dictionary: before).isEqual(to: after), "moto's service is unchanged")
        #expect(t.health.requests.isEmpty, "not even the read-only health check ran")
        let records = try t.records()
        #expect(records.map { $0["event"] as? String } == ["refused"])
        t.expectNoSecrets(in: r)
    }

    // MARK: - runbook.md#rollback

    @Test("runbook#rollback runs the native rollback: 3 -> 2")
    func runbookRollback() async throws {
        let t = try await ExecTestbed.start(health: [])
        let r = try await t.run(["exec", "runbook#rollback", "--env", "staging", "--yes"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(try t.serviceRevision() == 2)
        #expect(r.stdout.contains("mindhit-api:3 -> mindhit-api:2"))
        #expect(try await t.run(["audit", "verify", "--log", t.auditLog]).status == 0)
        t.expectNoSecrets(in: r)
    }

    @Test("a Slack webhook that fails is a warning, never a failed run, and its URL is never shown")
    func failedSlackNoticeIsAWarning() async throws {
        let t = try await ExecTestbed.start(health: [], slackStatus: 500)
        let r = try await t.run(["exec", "runbook#rollback", "--env", "staging", "--yes"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(try t.serviceRevision() == 2)
        #expect(r.stderr.contains("warning: Slack notice (run start) not sent"))
        #expect(r.stderr.contains("HTTP 500"))
        #expect(t.slackTexts().count == 2, "start and end were tried")
        t.expectNoSecrets(in: r)
    }

    @Test("credentials of another account than the env's aws_account: refused before any step")
    func wrongAccountRefuses() async throws {
        let t = try await ExecTestbed.start(health: [], account: "210987654321")
        let r = try await t.run(["exec", "runbook#rollback", "--env", "staging", "--yes"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("123456789012") && r.stderr.contains("210987654321"))
        #expect(try t.serviceRevision() == 3, "nothing changed")
        #expect(try t.records().map { $0["event"] as? String } == ["refused"])
        t.expectNoSecrets(in: r)
    }

    // MARK: - S3

    @Test("backup upload and restore download: the dated key, multipart up, the same bytes down")
    func s3UploadAndDownload() async throws {
        let t = try await ExecTestbed.start(health: [])
        let s3 = S3Client(settings: t.moto.settings(region: "ap-northeast-2"))
        try s3.createBucket("mindhit-backups")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd"
        let day = formatter.string(from: Date())
        // 9 MiB: above the 8 MiB part size, so the upload is multipart. Only the upload step runs
        // here (as on call with `--only`): dump and its checks need pg_dump and the AWS CLI.
        var bytes = Data(count: 9 * 1024 * 1024)
        for i in stride(from: 0, to: bytes.count, by: 4096) { bytes[i] = UInt8(truncatingIfNeeded: i / 4096) }
        try bytes.write(to: t.project.root.appendingPathComponent("mindhit_\(day).sql.gz"))
        let up = try await t.run(["exec", "backup-recovery#pg-backup", "--env", "staging", "--yes", "--only", "upload"])
        #expect(up.status == 0, "\(up.stdout)\n\(up.stderr)")
        #expect(up.stdout.contains("2 parts"))
        let copy = t.project.root.appendingPathComponent("check.bin").path
        _ = try s3.getObject(S3Location(bucket: "mindhit-backups", key: "postgres/mindhit_\(day).sql.gz"), to: copy)
        #expect(FileManager.default.contents(atPath: copy) == bytes)
        try FileManager.default.removeItem(at: t.project.root.appendingPathComponent("mindhit_\(day).sql.gz"))
        let down = try await t.run(["exec", "backup-recovery#pg-restore", "--env", "staging", "--yes", "--only", "download",
                              "--set", "backup-date=\(day)", "--set", "target-db=mindhit_restore"])
        #expect(down.status == 0, "\(down.stdout)\n\(down.stderr)")
        #expect(FileManager.default.contents(atPath: t.project.root.appendingPathComponent("mindhit_\(day).sql.gz").path) == bytes)
        t.expectNoSecrets(in: up)
        t.expectNoSecrets(in: down)
    }

    // MARK: - other scenarios

    @Test("db-connections: RDS status from moto and the connection count from a real PostgreSQL")
    func dbConnections() async throws {
        let pg = try await BlockingWork.run {
            let pg = try PostgresServer()
            _ = try pg.psql("CREATE DATABASE mindhit")
            return pg
        }
        defer { pg.stop() }
        let t = try await ExecTestbed.start(health: [], extraEnvironment: ["MINDHIT_DATABASE_URL": pg.url(database: "mindhit")])
        try t.createDBInstance("mindhit-postgres")
        let r = try await t.run(["exec", "incident-response#db-connections", "--env", "staging", "--yes"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("[rds-status] "))
        #expect(r.stdout.contains("available"))
        // psql's aligned output of SELECT count(*): a header, a rule and a number.
        let countLines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("[connections] ") }
        #expect(countLines.contains { $0.contains("count") })
        #expect(countLines.contains { $0.dropFirst("[connections] ".count).trimmingCharacters(in: .whitespaces).allSatisfy(\.isNumber) && $0.count > "[connections] ".count })
        #expect(r.stdout.contains("[connection-states] ") && r.stdout.contains("max_connections"))
        #expect(try t.stepEnds()["terminate-idle"] == "ok")
        #expect(!r.stdout.contains(pg.url(database: "mindhit")) && !r.stderr.contains(pg.url(database: "mindhit")), "the database URL is a secret")
        t.expectNoSecrets(in: r)
    }

    @Test("redis-oom: INFO memory of a real redis-server with maxmemory, filled with keys")
    func redisOOM() async throws {
        let redis = try await BlockingWork.run { try RedisServer() }
        defer { redis.stop() }
        let client = try redis.client()
        _ = try client.command(["CONFIG", "SET", "maxmemory", "3mb"])
        _ = try client.command(["CONFIG", "SET", "maxmemory-policy", "noeviction"])
        let value = String(repeating: "x", count: 1024)
        for i in 0..<1500 {
            if case .error = try client.command(["SET", "cache:\(i)", value]) { break }
        }
        let t = try await ExecTestbed.start(health: [], redisURL: "redis://127.0.0.1:\(redis.port)")
        let r = try await t.run(["exec", "incident-response#redis-oom", "--env", "staging", "--yes"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("[redis-memory] used_memory:"))
        #expect(r.stdout.contains("[redis-memory] maxmemory:3145728"))
        #expect(r.stdout.contains("[redis-memory] maxmemory_policy:noeviction"))
        #expect(r.stdout.contains("[redis-keyspace] db0:keys="))
        t.expectNoSecrets(in: r)
    }

    @Test("ai-latency: the Prometheus query result from a local server")
    func aiLatency() async throws {
        let prometheus = try LocalHTTPServer { request in
            guard request.target.hasPrefix("/api/v1/query") else { return .init(status: 404, body: "no") }
            return .json(200, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"mindhit_ai_processing_duration_seconds","quantile":"0.99"},"value":[1764200000,"12.75"]}]}}"#)
        }
        defer { prometheus.stop() }
        let t = try await ExecTestbed.start(health: [], prometheusURL: prometheus.url.absoluteString)
        let r = try await t.run(["exec", "incident-response#ai-latency", "--env", "staging", "--yes"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("12.75"))
        #expect(prometheus.requests.first?.query("query") == "mindhit_ai_processing_duration_seconds")
        #expect(try t.stepEnds()["ai-errors"] == "ok", "the ERROR log events come from moto's log group")
        #expect(r.stdout.contains("[ai-errors] ") && r.stdout.contains("ERROR payment timeout"))
        t.expectNoSecrets(in: r)
    }
}

/// A temp project with the team's docs and scripts, a runbook.toml whose staging env points at
/// servers on loopback, and moto seeded with the team's ECS service and log group.
final class ExecTestbed: @unchecked Sendable {
    // `@unchecked`: every stored property is a `let` set in init; `TempProject` (a folder on disk,
    // not Sendable) is only read after that, and the servers guard their own state.
    let project: TempProject
    let moto: MotoServer
    let health: LocalHTTPServer
    let slack: LocalHTTPServer
    let environment: [String: String]
    var auditLog: String { project.root.appendingPathComponent("state/audit.jsonl").path }

    /// `health`: the statuses /health answers in turn; 200 after them. Set up off the cooperative
    /// pool: starting moto and seeding it take seconds of blocking calls.
    static func start(health statuses: [Int], redisURL: String = "redis://127.0.0.1:1", prometheusURL: String = "http://127.0.0.1:1",
                      account: String = "123456789012", slackStatus: Int = 200, extraEnvironment: [String: String] = [:]) async throws -> ExecTestbed {
        try await BlockingWork.run {
            try ExecTestbed(health: statuses, redisURL: redisURL, prometheusURL: prometheusURL, account: account, slackStatus: slackStatus,
                            extraEnvironment: extraEnvironment)
        }
    }

    private init(health statuses: [Int], redisURL: String, prometheusURL: String, account: String, slackStatus: Int,
                 extraEnvironment: [String: String]) throws {
        moto = try MotoServer(environment: ["MOTO_ECS_SERVICE_RUNNING": "2"])
        let counter = Counter()
        health = try LocalHTTPServer { request in
            guard request.target.hasPrefix("/health") else { return .init(status: 404, body: "no") }
            let n = counter.next()
            let status = n < statuses.count ? statuses[n] : 200
            return .init(status: status, body: status == 200 ? "ok" : "unavailable")
        }
        slack = try LocalHTTPServer { _ in .init(status: slackStatus, body: slackStatus == 200 ? "ok" : "no_service") }
        let repo = CLIRunner.repoRoot
        var files: [String: String] = [:]
        for dir in ["docs/operations", "scripts"] {
            let base = repo.appendingPathComponent(dir)
            for name in try FileManager.default.contentsOfDirectory(atPath: base.path) {
                let url = base.appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: url.path) else { continue }
                files["\(dir)/\(name)"] = String(decoding: data, as: UTF8.self)
            }
        }
        files["runbook.toml"] = """
            [site]
            title = "MindHit 운영 문서"
            docs = "docs/operations"
            out = "site"
            language = "ko"

            [env.staging]
            region = "ap-northeast-2"
            aws_account = "\(account)"
            cluster = "mindhit-cluster"
            service = "mindhit-api"
            log_group = "/ecs/mindhit-api"
            health_url = "\(health.url.absoluteString)/health"
            prometheus_url = "\(prometheusURL)"
            redis_url = "\(redisURL)"
            db_instance = "mindhit-postgres"
            database = "mindhit"
            database_url_env = "MINDHIT_DATABASE_URL"
            backup_bucket = "mindhit-backups"
            slack_webhook_env = "RUNBOOK_SLACK_WEBHOOK"

            """
        project = try TempProject(files: files)
        for name in ["scripts/rollback.sh", "scripts/restore-drill.sh"] {
            chmod(project.root.appendingPathComponent(name).path, 0o755)
        }
        let state = project.root.appendingPathComponent("state").path
        environment = [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": ExecEndToEndTests.awsSecret,
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
            "AWS_CONFIG_FILE": state + "/no-aws-config", "AWS_SHARED_CREDENTIALS_FILE": state + "/no-aws-credentials",
            "AWS_SESSION_TOKEN": "", "HOME": project.root.path, "RUNBOOK_STATE_DIR": state, "RUNBOOK_AUDIT_LOG": state + "/audit.jsonl",
            "RUNBOOK_SLACK_WEBHOOK": slack.url.absoluteString + ExecEndToEndTests.webhookPath,
        ].merging(extraEnvironment) { _, new in new }
        try seed()
    }

    deinit {
        health.stop()
        slack.stop()
        moto.stop()
    }

    /// Cluster, task definitions mindhit-api:1..3, the service on :3 with a running task, and the log group.
    func seed() throws {
        let s = moto.settings(region: "ap-northeast-2")
        try moto.json(.ecs, "CreateCluster", ["clusterName": "mindhit-cluster"], settings: s)
        for i in 1...3 {
            try moto.json(.ecs, "RegisterTaskDefinition", [
                "family": "mindhit-api", "containerDefinitions": [["name": "api", "image": "mindhit/api:\(i)", "memory": 512]],
            ], settings: s)
        }
        try moto.json(.ecs, "CreateService", ["cluster": "mindhit-cluster", "serviceName": "mindhit-api",
                                              "taskDefinition": "mindhit-api:3", "desiredCount": 2], settings: s)
        try moto.json(.ecs, "RunTask", ["cluster": "mindhit-cluster", "taskDefinition": "mindhit-api:3", "group": "service:mindhit-api",
                                        "launchType": "FARGATE", "count": 1], settings: s)
        try moto.json(.logs, "CreateLogGroup", ["logGroupName": "/ecs/mindhit-api"], settings: s)
        try moto.json(.logs, "CreateLogStream", ["logGroupName": "/ecs/mindhit-api", "logStreamName": "api/api/1"], settings: s)
        let now = Int(Date().timeIntervalSince1970 * 1000)
        try moto.json(.logs, "PutLogEvents", ["logGroupName": "/ecs/mindhit-api", "logStreamName": "api/api/1", "logEvents": [
            ["timestamp": now - 120_000, "message": "INFO request served in 40 ms"],
            ["timestamp": now - 60_000, "message": "ERROR payment timeout after 30 s"],
        ]], settings: s)
    }

    func createDBInstance(_ id: String) throws {
        let rds = RDSClient(settings: moto.settings(region: "ap-northeast-2"))
        _ = try rds.aws.callQuery("CreateDBInstance", parameters: [
            (name: "DBInstanceIdentifier", value: id), (name: "Engine", value: "postgres"), (name: "EngineVersion", value: "15.4"),
            (name: "DBInstanceClass", value: "db.t3.medium"), (name: "AllocatedStorage", value: "50"),
            (name: "MasterUsername", value: "mindhit"), (name: "MasterUserPassword", value: "not-a-real-password-1"),
        ])
    }

    func run(_ args: [String]) async throws -> CLIRunner.Result {
        try await project.run(args, env: environment)
    }

    /// The revision of mindhit-api's task definition as moto reports it.
    func serviceRevision() throws -> Int? {
        let out = try moto.json(.ecs, "DescribeServices", ["cluster": "mindhit-cluster", "services": ["mindhit-api"]],
                                settings: moto.settings(region: "ap-northeast-2"))
        let td = ((out["services"] as? [[String: Any]])?.first?["taskDefinition"] as? String) ?? ""
        return td.split(separator: ":").last.flatMap { Int($0) }
    }

    /// The audit records (the chain prefix stripped), in order.
    func records() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: auditLog, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let start = line.firstIndex(of: "{") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line[start...].utf8))) as? [String: Any]
        }
    }

    /// Status of each step's end record.
    func stepEnds() throws -> [String: String] {
        try records().filter { $0["event"] as? String == "step-end" }.reduce(into: [:]) { out, r in
            if let step = r["step"] as? String { out[step] = r["status"] as? String }
        }
    }

    func slackPayloads() -> [[String: String]] {
        slack.requests.compactMap { (try? JSONSerialization.jsonObject(with: $0.body)) as? [String: String] }
    }

    func slackTexts() -> [String] { slackPayloads().compactMap { $0["text"] } }

    /// Neither canary reaches stdout, stderr or the audit log.
    func expectNoSecrets(in r: CLIRunner.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        let log = (try? String(contentsOfFile: auditLog, encoding: .utf8)) ?? ""
        for (name, text) in [("stdout", r.stdout), ("stderr", r.stderr), ("audit log", log)] {
            #expect(!text.contains(ExecEndToEndTests.awsSecret), "the AWS secret canary is in \(name)", sourceLocation: sourceLocation)
            #expect(!text.contains(ExecEndToEndTests.webhookPath), "the webhook canary is in \(name)", sourceLocation: sourceLocation)
        }
    }
}

/// A thread-safe counter for the health server's answers.
final class Counter: Sendable {
    private let n = Mutex(0)

    func next() -> Int {
        n.withLock { n in
            defer { n += 1 }
            return n
        }
    }
}
