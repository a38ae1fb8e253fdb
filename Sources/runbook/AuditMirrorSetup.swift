import AuditTrail
import RunbookCore
import Foundation
import OpsActions
import RunbookExec

/// Builds the CloudWatch Logs copy of the audit log that `runbook exec` keeps when runbook.toml
/// names `[audit] cloudwatch_log_group`.
enum AuditMirrorSetup {
    /// The mirror factory for `ExecWorld.auditMirror`, nil when no group is configured.
    static func factory(config: RunbookConfig, processEnvironment: [String: String])
        -> (@Sendable (EnvironmentConfig, AuditRecord.Operator) -> (any AuditMirror)?)? {
        guard let group = config.audit.cloudwatchLogGroup, !group.isEmpty else { return nil }
        return { environment, op in
            let mirror = CloudWatchAuditMirror(
                logPath: AuditLog.defaultPath(environment: processEnvironment), group: group,
                stream: CloudWatchAuditMirror.streamName(user: op.user, host: op.host),
                stateDirectory: AuditLog.stateDirectory(environment: processEnvironment),
                client: client(for: environment, processEnvironment: processEnvironment, configPath: config.path)) { message, isWarning in
                    if isWarning { Terminal.warning(message) } else { FileHandle.standardError.write(Data("runbook: \(CLIRedactor.redact(message))\n".utf8)) }
                }
            mirror.start()
            return mirror
        }
    }

    /// The Logs client with the environment's profile and region (else the default AWS settings).
    static func client(for environment: EnvironmentConfig?, processEnvironment: [String: String], configPath: String,
                       region: String? = nil, profile: String? = nil) -> Result<LogsClient, AuditTrailError> {
        let resolver = AWSSettingsResolver(environment: processEnvironment, home: processEnvironment["HOME"] ?? NSHomeDirectory())
        let source = region != nil ? "--region" : "\(configPath) [env.\(environment?.name ?? "")]"
        do {
            let settings = try resolver.resolve(profile: profile ?? environment?.awsProfile, region: region ?? environment?.region,
                                                regionSource: source)
            return .success(LogsClient(settings: settings, timeout: 10))
        } catch {
            return .failure(.configuration(error.message))
        }
    }
}
