import Foundation
import RunbookCore
import OpsActions
import SystemIO

/// The actions on AWS data: CloudWatch Logs, RDS, STS and S3.
extension OpsActionExecutor {
    func tailLogs(group: String, since: String?, follow: Bool, filterPattern: String?, aws: AWSOptions, context: NativeActionContext,
                  cancel: CancelFlag) async throws -> NativeActionResult {
        let settings = try settings(aws, context.environment)
        let tailer = LogTailer(client: LogsClient(settings: settings, transport: transport, timeout: requestTimeout),
                               sleeper: CancellableSleeper(flag: cancel))
        let start = try LogSince.parse(since ?? "10m", now: Date())
        // `--follow` is bounded by the step: follow until shortly before its timeout, then end ok.
        let followFor = follow ? max(0, context.timeoutSeconds - min(5, context.timeoutSeconds / 10) - requestTimeout / 10) : nil
        return try await BlockingWork.run(cancel: cancel) {
            let summary = try tailer.tail(group: group, since: start, filterPattern: filterPattern, followFor: followFor) { event in
                context.output(event.line)
            }
            return NativeActionResult(succeeded: true, message: "\(summary.events) event(s) from \(group)")
        }
    }

    func describeDBInstance(identifier: String?, aws: AWSOptions, context: NativeActionContext,
                            cancel: CancelFlag) async throws -> NativeActionResult {
        let settings = try settings(aws, context.environment)
        let identifier = try required(identifier ?? context.environment.dbInstance, "db_instance")
        let rds = RDSClient(settings: settings, transport: transport, timeout: requestTimeout)
        return try await BlockingWork.run(cancel: cancel) {
            let status = try rds.describeDBInstance(identifier)
            Self.rows(status.report).forEach(context.output)
            return NativeActionResult(succeeded: true, message: "\(status.identifier): \(status.status)")
        }
    }

    func getCallerIdentity(aws: AWSOptions, context: NativeActionContext, cancel: CancelFlag) async throws -> NativeActionResult {
        let sts = STSClient(settings: try settings(aws, context.environment), transport: transport, timeout: requestTimeout)
        return try await BlockingWork.run(cancel: cancel) {
            let id = try sts.getCallerIdentity()
            Self.rows([("Account", id.account), ("Arn", id.arn), ("UserId", id.userID)]).forEach(context.output)
            return NativeActionResult(succeeded: true, message: "account \(id.account)")
        }
    }

    func upload(file: String, to location: S3Location, aws: AWSOptions, context: NativeActionContext,
                cancel: CancelFlag) async throws -> NativeActionResult {
        let transfer = S3Transfer(client: S3Client(settings: try settings(aws, context.environment), transport: transport))
        let path = Self.path(file, in: context.workingDirectory)
        return try await BlockingWork.run(cancel: cancel) {
            let r = try transfer.upload(file: path, to: location, progress: { p in
                if p.parts > 1 { context.output("part \(p.part)/\(p.parts): \(p.bytesSent)/\(p.totalBytes) bytes") }
            })
            let how = r.parts == 0 ? "one request" : "\(r.parts) parts"
            context.output("upload: \(file) to \(location) (\(r.bytes) bytes, \(how))")
            return NativeActionResult(succeeded: true, message: "uploaded \(r.bytes) bytes to \(location)",
                                      after: ["object": location.description, "bytes": String(r.bytes), "etag": r.etag])
        }
    }

    func download(_ location: S3Location, to file: String, aws: AWSOptions, context: NativeActionContext,
                  cancel: CancelFlag) async throws -> NativeActionResult {
        let transfer = S3Transfer(client: S3Client(settings: try settings(aws, context.environment), transport: transport))
        let path = Self.path(file, in: context.workingDirectory)
        return try await BlockingWork.run(cancel: cancel) {
            let bytes = try transfer.download(location, to: path)
            context.output("download: \(location) to \(file) (\(bytes) bytes)")
            return NativeActionResult(succeeded: true, message: "downloaded \(bytes) bytes from \(location)")
        }
    }
}
