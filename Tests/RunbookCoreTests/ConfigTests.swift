import Foundation
import Testing
@testable import RunbookCore

@Suite struct ConfigTests {
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func theRepositoryConfigParses() throws {
        let text = try String(contentsOf: Self.repoRoot.appendingPathComponent("runbook.toml"), encoding: .utf8)
        let config = try RunbookConfig.parse(text)
        #expect(config.site.docs == "docs/operations")
        #expect(config.site.out == "site")
        #expect(config.environmentNames == ["production", "staging"])
        let prod = try config.environment("production")
        #expect(prod.isProtected)
        #expect(try !config.environment("staging").isProtected)
        for env in config.environments.values {
            for key in ["region", "aws_account", "cluster", "service", "log_group", "health_url", "prometheus_url",
                        "redis_url", "db_instance", "database", "database_url_env", "backup_bucket", "slack_webhook_env"] {
                #expect(env.value(forKey: key) != nil, "\(env.name) lacks \(key)")
            }
        }
        #expect(prod.parameter("CLUSTER") == "mindhit-cluster")
        #expect(prod.parameter("LOG_GROUP") == "/ecs/mindhit-api")
        #expect(prod.parameter("DATABASE_URL_ENV") == nil, "secret names are not doc parameters")
    }

    @Test func defaultsApplyWhenSiteKeysAreMissing() throws {
        let config = try RunbookConfig.parse("[site]\ntitle = \"T\"\n")
        #expect(config.site.docs == "docs/operations" && config.site.out == "site" && config.site.title == "T")
    }

    @Test func valuesTypesAndVars() throws {
        let config = try RunbookConfig.parse("""
        # comment
        [env.local]
        region = 'us-east-1' # trailing comment
        aws_account = "123456789012"
        protected = false
        health_url = "http://127.0.0.1:8080/health"

        [env.local.vars]
        TEAM = "백엔드"
        """)
        let env = try config.environment("local")
        #expect(env.awsAccount == "123456789012")
        #expect(env.region == "us-east-1")
        #expect(env.parameter("TEAM") == "백엔드")
        #expect(env.parameter("HEALTH_URL") == "http://127.0.0.1:8080/health")
        #expect(env.line == 2)
    }

    struct BadConfig: Sendable, CustomStringConvertible {
        var text: String
        var line: Int
        var fragment: String
        var description: String { fragment }
    }

    static let bad: [BadConfig] = [
        BadConfig(text: "[site]\ntitle = \"x\"\ntheem = \"d\"\n", line: 3, fragment: "unknown key 'theem' in [site]"),
        BadConfig(text: "[env.staging]\nregion = \"r\"\nclustr = \"c\"\n", line: 3, fragment: "unknown key 'clustr' in [env.staging]"),
        BadConfig(text: "[env.staging]\nslack_webhook = \"https://hooks.example/x\"\n", line: 2, fragment: "_env"),
        BadConfig(text: "[env.s]\nredis_url = \"redis://:hunter2@host:6379\"\n", line: 2, fragment: "password in the URL"),
        BadConfig(text: "[env.s.vars]\nDB_PASSWORD = \"x\"\n", line: 2, fragment: "looks like a secret"),
        BadConfig(text: "[env.s]\nslack_webhook_env = \"https://hooks.example/x\"\n", line: 2, fragment: "name of an environment variable"),
        BadConfig(text: "[sites]\n", line: 1, fragment: "unknown table [sites]"),
        BadConfig(text: "\n[env.s]\nprotected = \"yes\"\n", line: 3, fragment: "true or false"),
        BadConfig(text: "[env.s]\naws_account = \"1234\"\n", line: 2, fragment: "12-digit"),
        BadConfig(text: "[site]\ntitle = \"unterminated\n", line: 2, fragment: "not closed"),
        BadConfig(text: "[site]\ntitle = \"a\"\ntitle = \"b\"\n", line: 3, fragment: "set twice"),
        BadConfig(text: "[site]\ntitle = { a = 1 }\n", line: 2, fragment: "inline tables"),
        BadConfig(text: "[env.s]\nregion = us-east-1\n", line: 2, fragment: "not a value"),
        BadConfig(text: "[env.s]\naws_account = 123456789012\n", line: 2, fragment: "in quotes"),
        BadConfig(text: "[env.s]\nregion = \"ap-north\u{0}east-2\"\n", line: 2, fragment: "control character U+0000"),
        BadConfig(text: "[env.s]\nregion = \"ap\\u0000\"\n", line: 2, fragment: "control character"),
        BadConfig(text: "[env.s]\r\n\r\nregion = \"a\u{1b}[2Jb\"\r\n", line: 3, fragment: "control character U+001B"),
        BadConfig(text: "[env.s]\nservice = \"api\\nrm\"\n", line: 2, fragment: "line break"),
        BadConfig(text: "[env.s]\nhealth_url = \"gopher://127.0.0.1:6379/_SET%20x%201\"\n", line: 2, fragment: "http:// or https://"),
        BadConfig(text: "[env.s]\nhealth_url = \"dict://127.0.0.1:6379/info\"\n", line: 2, fragment: "http:// or https://"),
        BadConfig(text: "[env.s]\nprometheus_url = \"file:///etc/passwd\"\n", line: 2, fragment: "http:// or https://"),
        BadConfig(text: "[env.s]\nhealth_url = \"http://\"\n", line: 2, fragment: "with a host"),
        BadConfig(text: "[env.s]\nredis_url = \"http://cache:6379\"\n", line: 2, fragment: "redis://"),
    ]

    @Test("CRLF line endings and a byte-order mark, with a comment first: read like LF")
    func crlfAndBOM() throws {
        let lf = "# Ops settings\n[site]\ntitle = \"t\"\n\n[env.dev]\nregion = \"us-east-1\"\n[env.prod]\nregion = \"ap-northeast-2\"\n"
        for text in [lf, lf.replacingOccurrences(of: "\n", with: "\r\n"), "\u{FEFF}" + lf.replacingOccurrences(of: "\n", with: "\r\n"),
                     lf.replacingOccurrences(of: "\n", with: "\r")] {
            let config = try RunbookConfig.parse(text)
            #expect(config.environmentNames == ["dev", "prod"])
            #expect(try config.environment("prod").region == "ap-northeast-2")
        }
        do {
            _ = try RunbookConfig.parse("# c\r\n[env.s]\r\nclustr = \"x\"\r\n")
            Issue.record("expected an unknown-key error")
        } catch {
            #expect(error.line == 3, "lines are counted across CRLF endings")
        }
    }

    @Test(arguments: bad)
    func badConfigNamesTheLine(_ c: BadConfig) {
        do {
            _ = try RunbookConfig.parse(c.text, path: "runbook.toml")
            Issue.record("expected an error for \(c.fragment)")
        } catch {
            #expect(error.line == c.line)
            #expect(error.description.contains(c.fragment), "\(error.description)")
            #expect(error.description.hasPrefix("runbook.toml:\(c.line): "))
            #expect(!error.description.contains("hunter2"), "a secret must never be echoed")
        }
    }

    @Test func unknownEnvironmentListsTheKnownOnes() throws {
        let config = try RunbookConfig.parse("[env.a]\n[env.b]\n")
        #expect(throws: ConfigError.self) { try config.environment("c") }
        do { _ = try config.environment("c") } catch { #expect(error.message.contains("a, b")) }
    }

    @Test func durationsAndDates() {
        #expect(DurationText.seconds("1m30s") == 90)
        #expect(DurationText.seconds("2h") == 7200)
        #expect(DurationText.seconds("0s") == nil)
        #expect(DurationText.seconds("10") == nil)
        #expect(DurationText.seconds("5d") == nil)
        #expect(DurationText.days("2w") == 14)
        #expect(DurationText.format(seconds: 90) == "1m30s")
        #expect(CalendarDate(iso: "2024-02-29")?.adding(days: 365).description == "2025-02-28")
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
    }
}
