import ArgumentParser
import RunbookCore
import Foundation
import OpsActions

/// Region, profile and timeout for AWS commands, and the account binding (`aws_account`).
struct AWSAccessOptions: ParsableArguments {
    @Option(name: .long, help: "AWS region (default: the environment's region, then AWS_REGION, AWS_DEFAULT_REGION, the profile).")
    var region: String?

    @Option(name: .long, help: "AWS profile (default: the environment's aws_profile, then AWS_PROFILE).")
    var profile: String?

    @Option(name: .long, help: "Seconds each AWS request may take before it is abandoned.")
    var requestTimeout: Double?

    static let defaultRequestTimeout: Double = 30

    /// Credentials, region and endpoints as the AWS CLI resolves them, with `--region`/`--profile`
    /// and then the environment's `region`/`aws_profile` first.
    func resolvedSettings(for environment: EnvironmentConfig?, selection: EnvironmentSelection,
                          resolver: AWSSettingsResolver = .current()) throws -> AWSSettings {
        let regionSource = region != nil ? "--region" : "\(selection.config) [env.\(selection.env ?? "")]"
        return try resolver.resolve(profile: profile ?? environment?.awsProfile, region: region ?? environment?.region,
                                    regionSource: regionSource)
    }

    /// Resolved settings, after confirming with STS that the credentials belong to the
    /// environment's `aws_account` (when the environment names one).
    func settings(for environment: EnvironmentConfig?, selection: EnvironmentSelection) throws -> AWSSettings {
        let settings = try resolvedSettings(for: environment, selection: selection)
        if let environment, let account = environment.awsAccount {
            try AccountBinding(sts: STSClient(settings: settings, timeout: requestTimeout ?? Self.defaultRequestTimeout))
                .verify(expectedAccount: account, environment: environment.name)
        }
        return settings
    }
}
