import ArgumentParser
import DocGen
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
        guard let data = FileManager.default.contents(atPath: config) else {
            throw CLIFailure(["cannot read \(config) (needed for --env \(env)); pass --config FILE, or give the target with a flag"], exitCode: 2)
        }
        return try RunbookConfig.parse(String(decoding: data, as: UTF8.self), path: config).environment(env)
    }

    /// `value`, else the environment's, else a usage error naming the flag and the runbook.toml key.
    func required(_ value: String?, _ environment: EnvironmentConfig?, key: String, flag: String) throws -> String {
        if let value, !value.isEmpty { return value }
        if let v = environment?.value(forKey: key), !v.isEmpty { return v }
        let hint = env.map { "environment \($0) in \(config) has no \(key)" } ?? "no --env given"
        throw CLIFailure(["no target: pass \(flag), or --env NAME with \(key) in runbook.toml (\(hint))"], exitCode: 2)
    }
}

/// Region, profile and timeout for AWS commands, and the account binding (`aws_account`).
struct AWSAccessOptions: ParsableArguments {
    @Option(name: .long, help: "AWS region (default: the environment's region, then AWS_REGION, AWS_DEFAULT_REGION, the profile).")
    var region: String?

    @Option(name: .long, help: "AWS profile (default: the environment's aws_profile, then AWS_PROFILE).")
    var profile: String?

    @Option(name: .long, help: "Seconds each AWS request may take before it is abandoned.")
    var requestTimeout: Double?

    /// Resolved settings, after confirming with STS that the credentials belong to the
    /// environment's `aws_account` (when the environment names one).
    func settings(for environment: EnvironmentConfig?, selection: EnvironmentSelection) throws -> AWSSettings {
        let regionSource = region != nil ? "--region" : "\(selection.config) [env.\(selection.env ?? "")]"
        let settings = try AWSSettingsResolver.current().resolve(profile: profile ?? environment?.awsProfile,
                                                                region: region ?? environment?.region, regionSource: regionSource)
        if let environment, let account = environment.awsAccount {
            try AccountBinding(sts: STSClient(settings: settings, timeout: requestTimeout ?? 30))
                .verify(expectedAccount: account, environment: environment.name)
        }
        return settings
    }
}

/// Printing shared by the ops commands.
enum OpsOutput {
    static func printJSON<T: Encodable>(_ value: T, pretty: Bool = true) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try enc.encode(value), as: UTF8.self))
        fflush(nil)
    }

    /// `label   value` rows, labels padded to one column.
    static func printRows(_ rows: [(label: String, value: String)]) {
        let width = rows.map(\.label.count).max() ?? 0
        for r in rows { print(r.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + r.value) }
    }

    /// A line on stderr that is neither an error nor a warning (progress, a summary).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("runbook: \(message)\n".utf8))
    }

    /// A secret read from the environment variable `name`; nil if unset or empty.
    static func secret(fromVariable name: String?) -> String? {
        guard let name, let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else { return nil }
        return v
    }
}
