import Foundation

/// Finds credentials, region and endpoints the way the AWS CLI does, from values given to it
/// (environment variables and the home folder), so tests run with a temporary HOME.
///
/// Credentials, first found wins: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`(/`AWS_SESSION_TOKEN`)
/// unless a profile was named explicitly (as `aws --profile` does); the profile's keys in the
/// shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`); its
/// `credential_process`; its keys in the config file (`AWS_CONFIG_FILE`, default `~/.aws/config`,
/// sections `[default]` and `[profile NAME]`). The profile is the explicit one, else `AWS_PROFILE`,
/// else `default`.
///
/// Region, first found wins: the explicit region (`--region`, then the runbook.toml environment's
/// `region`: a runbook environment names where it lives), `AWS_REGION`, `AWS_DEFAULT_REGION`,
/// the profile's `region`.
public struct AWSSettingsResolver: Sendable {
    public var environment: [String: String]
    public var home: String
    /// Runs a `credential_process` command and returns its standard output.
    public var runProcess: @Sendable (String) throws(AWSConfigurationError) -> Data

    public init(environment: [String: String], home: String,
                runProcess: @escaping @Sendable (String) throws(AWSConfigurationError) -> Data = CredentialProcess.run) {
        self.environment = environment
        self.home = home
        self.runProcess = runProcess
    }

    /// The resolver for this process: its environment and `$HOME`.
    public static func current() -> AWSSettingsResolver {
        let env = ProcessInfo.processInfo.environment
        return AWSSettingsResolver(environment: env, home: env["HOME"] ?? NSHomeDirectory())
    }

    private func value(_ name: String) -> String? {
        guard let v = environment[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    private func expand(_ path: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }

    public var credentialsPath: String { expand(value("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials") }
    public var configPath: String { expand(value("AWS_CONFIG_FILE") ?? "~/.aws/config") }

    /// Resolves everything; `profile` and `region` are explicit choices (flags or the runbook environment).
    public func resolve(profile explicitProfile: String? = nil, region explicitRegion: String? = nil,
                        regionSource: String = "--region") throws(AWSConfigurationError) -> AWSSettings {
        let profile = explicitProfile ?? value("AWS_PROFILE") ?? value("AWS_DEFAULT_PROFILE") ?? "default"
        let credentialsFile = try load(credentialsPath, movedBy: "AWS_SHARED_CREDENTIALS_FILE")
        let configFile = try load(configPath, movedBy: "AWS_CONFIG_FILE")
        let configSectionName = profile == "default" ? "default" : "profile \(profile)"
        let credSection = credentialsFile?.sections[profile]
        // botocore also reads a bare [name] in config for the default profile only.
        let configSection = configFile?.sections[configSectionName]
        if profile != "default" && credSection == nil && configSection == nil {
            throw AWSConfigurationError(message: "AWS profile '\(profile)' not found in \(credentialsPath) or \(configPath) (as [\(profile)] or [profile \(profile)])")
        }

        let credentials = try resolveCredentials(profile: profile, explicitProfile: explicitProfile != nil,
                                                 credSection: credSection, configSection: configSection,
                                                 credentialsFileRead: credentialsFile != nil, configFileRead: configFile != nil)
        let (region, source) = try resolveRegion(explicit: explicitRegion, explicitSource: regionSource,
                                                 profile: profile, configSection: configSection)
        var serviceEndpoints: [String: URL] = [:]
        var global: URL?
        if value("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() != "true" {
            for (name, raw) in environment where name.hasPrefix("AWS_ENDPOINT_URL_") {
                let suffix = String(name.dropFirst("AWS_ENDPOINT_URL_".count))
                if let v = value(name) { serviceEndpoints[suffix] = try endpointURL(v, from: name) }
                _ = raw
            }
            if let v = value("AWS_ENDPOINT_URL") {
                global = try endpointURL(v, from: "AWS_ENDPOINT_URL")
            } else if let v = configSection?["endpoint_url"] {
                global = try endpointURL(v, from: "endpoint_url in \(configPath) [\(configSectionName)]")
            }
        }
        return AWSSettings(credentials: credentials, region: region, regionSource: source, profile: profile,
                           globalEndpoint: global, serviceEndpoints: serviceEndpoints)
    }

    /// One of the two files, nil when it is not there; an error says which setting named it.
    private func load(_ path: String, movedBy variable: String) throws(AWSConfigurationError) -> AWSConfigFile? {
        do {
            return try AWSConfigFile.load(path)
        } catch {
            let which = value(variable) != nil ? " (set by \(variable))" : ", or set \(variable)=/dev/null to read none"
            throw AWSConfigurationError(message: error.message + which)
        }
    }

    private func endpointURL(_ text: String, from source: String) throws(AWSConfigurationError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else {
            throw AWSConfigurationError(message: "\(source) is '\(text)', not an http(s) URL like http://127.0.0.1:5000")
        }
        return url
    }

    private func resolveCredentials(profile: String, explicitProfile: Bool, credSection: [String: String]?,
                                    configSection: [String: String]?, credentialsFileRead: Bool,
                                    configFileRead: Bool) throws(AWSConfigurationError) -> AWSCredentials {
        var looked: [String] = []
        if !explicitProfile {
            let id = value("AWS_ACCESS_KEY_ID"), secret = value("AWS_SECRET_ACCESS_KEY")
            if let id, let secret {
                return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"),
                                      source: "environment (AWS_ACCESS_KEY_ID)")
            }
            if id != nil || secret != nil {
                throw AWSConfigurationError(message: "\(id == nil ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") is set but \(id == nil ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") is not; set both or neither")
            }
            looked.append("environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set)")
        }
        let configName = profile == "default" ? "default" : "profile \(profile)"
        if let s = credSection, let c = try keys(in: s, place: "\(credentialsPath) [\(profile)]") { return c }
        looked.append("\(credentialsPath) [\(profile)] (\(credSection == nil ? (credentialsFileRead ? "no such section" : "no such file") : "no aws_access_key_id"))")
        if let command = configSection?["credential_process"] {
            return try processCredentials(command, place: "\(configPath) [\(configName)]")
        }
        if let s = configSection, let c = try keys(in: s, place: "\(configPath) [\(configName)]") { return c }
        looked.append("\(configPath) [\(configName)] (\(configSection == nil ? (configFileRead ? "no such section" : "no such file") : "no credential_process or aws_access_key_id"))")
        throw AWSConfigurationError(message: "no AWS credentials found; looked in: \(looked.joined(separator: "; ")). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with keys in ~/.aws/credentials")
    }

    private func keys(in section: [String: String], place: String) throws(AWSConfigurationError) -> AWSCredentials? {
        let id = section["aws_access_key_id"], secret = section["aws_secret_access_key"]
        guard id != nil || secret != nil else { return nil }
        guard let id, let secret else {
            throw AWSConfigurationError(message: "\(place) has \(id == nil ? "aws_secret_access_key" : "aws_access_key_id") but not \(id == nil ? "aws_access_key_id" : "aws_secret_access_key")")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: section["aws_session_token"], source: place)
    }

    private func processCredentials(_ command: String, place: String) throws(AWSConfigurationError) -> AWSCredentials {
        let output = try runProcess(command)
        struct Reply: Decodable {
            var Version: Int?
            var AccessKeyId: String?
            var SecretAccessKey: String?
            var SessionToken: String?
        }
        guard let reply = try? JSONDecoder().decode(Reply.self, from: output) else {
            throw AWSConfigurationError(message: "credential_process in \(place) did not print JSON with AccessKeyId and SecretAccessKey")
        }
        guard reply.Version == nil || reply.Version == 1 else {
            throw AWSConfigurationError(message: "credential_process in \(place) printed Version \(reply.Version ?? 0); only Version 1 is supported")
        }
        guard let id = reply.AccessKeyId, let secret = reply.SecretAccessKey else {
            throw AWSConfigurationError(message: "credential_process in \(place) printed no AccessKeyId or SecretAccessKey")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: reply.SessionToken,
                              source: "credential_process in \(place)")
    }

    private func resolveRegion(explicit: String?, explicitSource: String, profile: String,
                               configSection: [String: String]?) throws(AWSConfigurationError) -> (String, String) {
        let candidates: [(String?, String)] = [
            (explicit, explicitSource), (value("AWS_REGION"), "AWS_REGION"), (value("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
            (configSection?["region"], "\(configPath) [\(profile == "default" ? "default" : "profile \(profile)")]"),
        ]
        for (v, source) in candidates {
            guard let v = v?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { continue }
            guard v.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw AWSConfigurationError(message: "region '\(v)' from \(source) is not a region name like ap-northeast-2")
            }
            return (v, source)
        }
        throw AWSConfigurationError(message: "no AWS region: use --region, a region in the runbook.toml environment, AWS_REGION, AWS_DEFAULT_REGION, or region in \(configPath)")
    }
}
