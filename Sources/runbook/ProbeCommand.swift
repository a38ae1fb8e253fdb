import ArgumentParser
import RunbookCore
import Foundation
import OpsActions

/// `runbook probe health|prometheus|redis`: read-only checks of the service's dependencies.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe a target: HTTP health, a Prometheus instant query, Redis INFO; exit 1 when unhealthy or unreachable.",
        subcommands: [Health.self, Prometheus.self, Redis.self])

    /// `text` as an http(s) URL, or a usage error (exit 2).
    static func httpURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw CLIFailure(["'\(text)' is not an http(s) URL"], exitCode: 2)
        }
        return url
    }

    struct Health: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GET the health URL with a timeout: status, latency, the first bytes of the body.")

        @Option(name: .long, help: "URL to GET (default: the environment's health_url).")
        var url: String?

        @Option(name: .long, help: "Seconds the whole request may take.")
        var timeout: Double = 5

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        @OptionGroup var selection: EnvironmentSelection

        func run() throws {
            try Terminal.guarded {
                let environment = try selection.load()
                let text = try selection.required(url, environment, key: "health_url", flag: "--url")
                let target = try ProbeCommand.httpURL(text)
                let report = HealthProbe(timeout: timeout).check(target)
                if json {
                    struct Output: Encodable { var report: HealthReport; var healthy: Bool }
                    try OpsOutput.printJSON(Output(report: report, healthy: report.isHealthy))
                } else {
                    print(report.verdict)
                    if let body = report.bodyExcerpt, !body.isEmpty {
                        let oneLine = body.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "\\n")
                        let more = (report.bodyBytes ?? 0) > body.utf8.count ? " ..." : ""
                        print("body: \(oneLine)\(more)")
                    }
                }
                if !report.isHealthy { throw ExitCode(1) }
            }
        }
    }

    struct Prometheus: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a PromQL instant query (/api/v1/query) and print the result as a table.")

        @Option(name: .long, help: "Prometheus base URL (default: the environment's prometheus_url).")
        var url: String?

        @Option(name: .long, help: "The PromQL expression.")
        var query: String

        @Option(name: .long, help: "Seconds the request may take.")
        var timeout: Double = 10

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        @OptionGroup var selection: EnvironmentSelection

        func run() throws {
            try Terminal.guarded {
                let environment = try selection.load()
                let text = try selection.required(url, environment, key: "prometheus_url", flag: "--url")
                let base = try ProbeCommand.httpURL(text)
                let result = try PrometheusClient(baseURL: base, timeout: timeout).query(query)
                for w in result.warnings { Terminal.warning("Prometheus: \(w)") }
                if json { return try OpsOutput.printJSON(result) }
                print(result.table)
            }
        }
    }

    struct Redis: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Redis INFO over RESP: used memory, maxmemory, eviction policy, evicted keys; --section prints a raw section.")

        @Option(name: .long, help: "redis://HOST:PORT (default: the environment's redis_url). A password in the URL is used, never shown.")
        var url: String?

        @Option(name: .long, help: "Environment variable holding the password (default: the environment's redis_password_env).")
        var passwordEnv: String?

        @Option(name: .long, help: "An INFO section to print raw (memory, stats, clients, replication, ...).")
        var section: String?

        @Option(name: .long, help: "Seconds for connecting and for each reply.")
        var timeout: Double = 5

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        @OptionGroup var selection: EnvironmentSelection

        func run() throws {
            try Terminal.guarded {
                let environment = try selection.load()
                let text = try selection.required(url, environment, key: "redis_url", flag: "--url")
                var target: RedisProbe.Target
                do {
                    target = try RedisProbe.Target(url: text)
                } catch {
                    throw CLIFailure(["\(error)"], exitCode: 2)
                }
                if let variable = passwordEnv ?? environment?.redisPasswordEnv {
                    guard let password = OpsOutput.secret(fromVariable: variable) else {
                        throw CLIFailure(["\(RedisError.passwordVariableUnset(variable))"], exitCode: 2)
                    }
                    target.password = password
                }
                let report = try RedisProbe(timeout: timeout).check(target, section: section)
                if json { return try OpsOutput.printJSON(report) }
                OpsOutput.printRows(report.report)
                if let raw = report.raw {
                    print("")
                    print(raw.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines))
                }
            }
        }
    }
}
