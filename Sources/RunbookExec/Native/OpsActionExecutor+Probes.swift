import Foundation
import RunbookCore
import OpsActions
import SystemIO

/// The probes: HTTP health, a Prometheus query, Redis `INFO`.
extension OpsActionExecutor {
    func checkHealth(url: String, maxTime: Double?, connectTimeout: Double?, failOnHTTPError: Bool, context: NativeActionContext,
                     cancel: CancelFlag) async throws -> NativeActionResult {
        guard let u = URL(string: url), u.scheme != nil, u.host != nil else {
            return NativeActionResult(succeeded: false, message: "not a URL: \(url)")
        }
        let probe = HealthProbe(transport: transport, timeout: min(maxTime ?? context.timeoutSeconds, context.timeoutSeconds),
                                connectTimeout: connectTimeout)
        return try await BlockingWork.run(cancel: cancel) {
            let report = probe.check(u)
            context.output(report.verdict)
            if let body = report.bodyExcerpt, !body.isEmpty { context.output(body) }
            let ok = report.failure == nil && (report.isHealthy || !failOnHTTPError)
            return NativeActionResult(succeeded: ok, message: report.verdict)
        }
    }

    func queryPrometheus(baseURL: String, query: String, maxTime: Double?, context: NativeActionContext,
                         cancel: CancelFlag) async throws -> NativeActionResult {
        guard let u = URL(string: baseURL), u.scheme != nil else {
            return NativeActionResult(succeeded: false, message: "not a URL: \(baseURL)")
        }
        let client = PrometheusClient(baseURL: u, transport: transport, timeout: min(maxTime ?? 30, context.timeoutSeconds))
        return try await BlockingWork.run(cancel: cancel) {
            let result = try client.query(query)
            result.table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).forEach(context.output)
            for w in result.warnings { context.output("warning: \(w)") }
            return NativeActionResult(succeeded: true, message: "\(result.rows.count) series")
        }
    }

    func redisInfo(url: String?, host: String?, port: String?, section: String?, context: NativeActionContext,
                   cancel: CancelFlag) async throws -> NativeActionResult {
        var target: RedisProbe.Target
        if let url {
            target = try RedisProbe.Target(url: url)
        } else {
            target = RedisProbe.Target(host: host ?? "127.0.0.1", port: port.flatMap { Int($0) } ?? 6379)
        }
        if target.password == nil, let name = context.environment.redisPasswordEnv, let pw = context.processEnvironment[name], !pw.isEmpty {
            target.password = pw
        }
        let probe = RedisProbe(timeout: min(5, context.timeoutSeconds))
        let endpoint = target
        let wanted = section ?? "everything"
        return try await BlockingWork.run(cancel: cancel) {
            let report = try probe.check(endpoint, section: wanted)
            for line in (report.raw ?? "").split(whereSeparator: \.isNewline) where !line.isEmpty {
                context.output(String(line))
            }
            let used = report.usedMemoryHuman ?? report.usedMemory.map(String.init) ?? "?"
            let max = (report.maxMemory ?? 0) == 0 ? "no limit" : (report.maxMemoryHuman ?? report.maxMemory.map(String.init) ?? "?")
            return NativeActionResult(succeeded: true, message: "used \(used) of \(max), policy \(report.evictionPolicy ?? "?")")
        }
    }
}
