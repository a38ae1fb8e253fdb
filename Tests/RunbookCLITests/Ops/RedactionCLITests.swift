import AuditTrail
import Foundation
import Testing
import TestSupport

/// Secrets an endpoint reflects back never reach the terminal, whichever command prints them;
/// and values are secret because configuration says so, not because a name contains "key".
@Suite("Redaction in every command's output (CLI)")
struct RedactionCLITests {
    static let sessionToken = "canarySessionTOKEN-reflected-0123456789"

    /// An ECS and CloudWatch Logs endpoint that echoes the caller's session token back in its data.
    static func reflectingEndpoint() throws -> LocalHTTPServer {
        try LocalHTTPServer { request in
            let token = request.headers.first { $0.key.lowercased() == "x-amz-security-token" }?.value ?? "none"
            let target = request.headers.first { $0.key.lowercased() == "x-amz-target" }?.value ?? ""
            switch target.split(separator: ".").last.map(String.init) ?? "" {
            case "DescribeServices":
                return .json(200, """
                    {"services":[{"serviceName":"api","status":"ACTIVE","desiredCount":1,"runningCount":1,"pendingCount":0,
                    "taskDefinition":"arn:aws:ecs:us-east-1:123456789012:task-definition/api:3",
                    "deployments":[{"id":"ecs-svc/1","status":"PRIMARY","taskDefinition":"arn:aws:ecs:us-east-1:123456789012:task-definition/api:3",
                    "desiredCount":1,"runningCount":1,"pendingCount":0,"rolloutState":"COMPLETED"}],
                    "events":[{"id":"e1","createdAt":1764221000,"message":"debug: caller token \(token) seen"}]}],"failures":[]}
                    """)
            case "ListTasks":
                return .json(200, #"{"taskArns":[]}"#)
            case "FilterLogEvents":
                return .json(200, """
                    {"events":[{"logStreamName":"s","timestamp":1764221000000,"message":"request with token \(token) failed","eventId":"1"}]}
                    """)
            default:
                return .json(200, "{}")
            }
        }
    }

    static func environment(_ server: LocalHTTPServer) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": Canary.awsSecret, "AWS_SESSION_TOKEN": sessionToken,
         "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": server.url.absoluteString, "HOME": FileManager.default.temporaryDirectory.path]
    }

    @Test("a session token reflected by the endpoint is masked in ecs status (text and JSON) and logs tail")
    func reflectedTokenIsMasked() async throws {
        let server = try Self.reflectingEndpoint()
        let env = Self.environment(server)
        let runs = [
            ["ecs", "status", "--cluster", "c", "--service", "api"],
            ["ecs", "status", "--cluster", "c", "--service", "api", "--json"],
            ["logs", "tail", "/ecs/api", "--since", "5m"],
        ]
        for args in runs {
            let r = try #require(try await RunbookBinary.run(args, environment: env))
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(!r.stdout.contains(Self.sessionToken) && !r.stderr.contains(Self.sessionToken), "\(args) printed the session token")
            #expect(r.stdout.contains("[redacted]"), "\(args): the reflected token shows as masked")
            Canary.expectAbsent(r)
        }
        #expect(server.requests.contains { $0.headers.values.contains(Self.sessionToken) }, "the token was really sent and reflected")
    }

    /// A project with one diagnose step that echoes a parameter.
    static func project(_ dir: TempDir, secretList: String = "") throws -> String {
        try FileManager.default.createDirectory(atPath: dir.file("docs"), withIntermediateDirectories: true)
        try """
            [site]
            title = "t"
            docs = "docs"

            [env.test]
            region = "us-east-1"
            \(secretList)
            """.write(toFile: dir.file("runbook.toml"), atomically: true, encoding: .utf8)
        try """
            # Cache

            ## Unlink keys {#unlink}

            ```bash {id=show-pattern kind=diagnose}
            echo "pattern <key-pattern>"
            ```
            """.write(toFile: dir.file("docs/cache.md"), atomically: true, encoding: .utf8)
        return dir.file("runbook.toml")
    }

    @Test("--set key-pattern='cache:*' is shown in the plan and recorded; secret = [\"key-pattern\"] masks it")
    func keyIsNotASecretByName() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"), "RUNBOOK_STATE_DIR": dir.file("state")]
        let config = try Self.project(dir)
        let args = ["exec", "cache#unlink", "--env", "test", "--config", config, "--set", "key-pattern=cache:*"]
        let dry = try #require(try await RunbookBinary.run(args + ["--dry-run"], environment: env))
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("cache:*"))
        #expect(!dry.stdout.contains("[redacted]"))
        let run = try #require(try await RunbookBinary.run(args, environment: env))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("pattern cache:*"))
        let log = try String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8)
        #expect(log.contains("cache:*"), "reviewers can read what the step was given")

        let secretDir = TempDir()
        defer { secretDir.cleanup() }
        let secretConfig = try Self.project(secretDir, secretList: #"secret = ["key-pattern"]"#)
        let secretEnv = ["PATH": "/usr/bin:/bin", "HOME": secretDir.path, "RUNBOOK_AUDIT_LOG": secretDir.file("audit.jsonl"),
                         "RUNBOOK_STATE_DIR": secretDir.file("state")]
        let masked = try #require(try await RunbookBinary.run(["exec", "cache#unlink", "--env", "test", "--config", secretConfig,
                                                         "--set", "key-pattern=cache:private-prefix"], environment: secretEnv))
        #expect(masked.status == 0, "\(masked.stderr)")
        #expect(!masked.stdout.contains("cache:private-prefix"))
        #expect(!(try String(contentsOfFile: secretDir.file("audit.jsonl"), encoding: .utf8)).contains("cache:private-prefix"))
    }

    @Test("a PEM key in an environment variable, echoed by a step: in no sink (stdout, stderr, --json, audit log, show, timeline, Slack, state folder)")
    func multiLineSecretEchoedByAStep() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let slack = try FakeEndpoints.slackWebhook()
        try FileManager.default.createDirectory(atPath: dir.file("docs"), withIntermediateDirectories: true)
        try "[site]\ntitle = \"t\"\ndocs = \"docs\"\n\n[env.test]\nregion = \"us-east-1\"\nslack_webhook_env = \"HOOK\"\n"
            .write(toFile: dir.file("runbook.toml"), atomically: true, encoding: .utf8)
        try "# Keys\n\n## Show {#show}\n\n```bash {id=show kind=diagnose}\nprintf '%s\\n' \"$TLS_KEY_SECRET\"\n```\n\n```bash {id=fail kind=diagnose}\nprintf '%s\\n' \"$TLS_KEY_SECRET\" >&2\nexit 3\n```\n"
            .write(toFile: dir.file("docs/keys.md"), atomically: true, encoding: .utf8)
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0canaryPEMone\nBKcwggSjAgEAAoIBAQCcanaryPEMtwo\n-----END PRIVATE KEY-----"
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "RUNBOOK_AUDIT_LOG": dir.file("audit.jsonl"),
                   "RUNBOOK_STATE_DIR": dir.file("state"), "TLS_KEY_SECRET": pem, "HOOK": FakeEndpoints.slackURL(slack).absoluteString]
        let args = ["exec", "keys#show", "--env", "test", "--config", dir.file("runbook.toml")]
        let r = try #require(try await RunbookBinary.run(args, environment: env))
        #expect(r.status == 1, "the second step fails: \(r.stderr)")
        let json = try #require(try await RunbookBinary.run(args + ["--json"], environment: env))
        let runID = try #require(AuditLogEntryFinder.firstRun(dir.file("audit.jsonl")))
        let show = try #require(try await RunbookBinary.run(["audit", "show"], environment: env))
        let timeline = try #require(try await RunbookBinary.run(["audit", "timeline", "--run", runID], environment: env))
        #expect(show.status == 0 && timeline.status == 0)
        var sinks: [(String, String)] = [("stdout", r.stdout), ("stderr", r.stderr), ("json", json.stdout + json.stderr),
                                         ("audit log", try String(contentsOfFile: dir.file("audit.jsonl"), encoding: .utf8)),
                                         ("show", show.stdout), ("timeline", timeline.stdout)]
        #expect(!slack.requests.isEmpty, "the run posted to Slack")
        for (i, request) in slack.requests.enumerated() { sinks.append(("slack payload \(i)", String(decoding: request.body, as: UTF8.self))) }
        if let files = FileManager.default.enumerator(atPath: dir.file("state")) {
            for case let file as String in files {
                if let text = try? String(contentsOfFile: dir.file("state/" + file), encoding: .utf8) { sinks.append(("state/\(file)", text)) }
            }
        }
        for line in ["MIIEvQIBADANBgkqhkiG9w0canaryPEMone", "BKcwggSjAgEAAoIBAQCcanaryPEMtwo"] {
            for (place, text) in sinks {
                #expect(!text.contains(line), "a line of the key reached \(place)")
            }
        }
    }
}

/// The first run id in an audit log.
enum AuditLogEntryFinder {
    static func firstRun(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return AuditLogEntry.parse(Array(text.utf8)).first?.record.run
    }
}
