import ArgumentParser
import RunbookCore
import Foundation
import OpsActions

/// `--env NAME` and `--config FILE`: the runbook.toml environment a probe or AWS command targets.
struct EnvironmentSelection: ParsableArguments {
    @Option(name: .long, help: "Environment in runbook.toml whose targets (log group, URLs, instance, webhook) to use.")
    var env: String?

    @Option(name: .long, help: "The project config (default: runbook.toml in the current folder).")
    var config: String = "runbook.toml"

    /// The chosen environment, nil without `--env`.
    func load() throws -> EnvironmentConfig? {
        guard let env else { return nil }
        let hint = "it is needed for --env \(env); pass --config FILE, or give the target with a flag"
        let environment = try RunbookConfig.load(path: config, missingHint: hint).environment(env)
        CLIRedactor.include(environment)
        return environment
    }

    /// `value`, else the environment's, else a usage error naming the flag and the runbook.toml key.
    func required(_ value: String?, _ environment: EnvironmentConfig?, key: String, flag: String) throws -> String {
        if let value, !value.isEmpty { return value }
        if let v = environment?.value(forKey: key), !v.isEmpty { return v }
        let hint = env.map { "environment \($0) in \(config) has no \(key)" } ?? "no --env given"
        throw CLIFailure(["no target: pass \(flag), or --env NAME with \(key) in runbook.toml (\(hint))"], exitCode: 2)
    }
}
