import ArgumentParser
import RunbookCore
import Foundation
import OpsActions

/// `runbook s3 cp SRC DST`: backups to and from S3 (streaming multipart upload, download to disk).
struct S3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3",
        abstract: "S3 transfers for backups (native, AWS CLI settings, path-style addressing).",
        subcommands: [Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cp",
            abstract: "Copy a local file to s3://bucket/key (multipart for large files, aborted if interrupted) or back.")

        @Argument(help: "Source: a local file or s3://bucket/key.")
        var source: String

        @Argument(help: "Destination: s3://bucket/key or a local file.")
        var destination: String

        @Option(name: .long, help: "Part size in MiB for multipart uploads (at least 5).")
        var partSize: Int = 8

        @Option(name: .long, help: ArgumentHelp(
            "Seconds a transfer may go with less than a byte a second moving before it is abandoned.",
            discussion: "A transfer that keeps moving is never cut off, however big; --request-timeout caps each request's total time."))
        var idleTimeout: Double = 30

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        @OptionGroup var selection: EnvironmentSelection
        @OptionGroup var aws: AWSAccessOptions

        func validate() throws {
            if partSize < 5 { throw ValidationError("--part-size must be at least 5 (MiB): S3's minimum part size") }
            if idleTimeout < 1 { throw ValidationError("--idle-timeout must be at least 1 (second)") }
            if (S3Location(source) == nil) == (S3Location(destination) == nil) {
                throw ValidationError("one of SRC and DST must be s3://bucket/key and the other a local file")
            }
        }

        func run() throws {
            try Terminal.guarded {
                let environment = try selection.load()
                let settings = try aws.settings(for: environment, selection: selection)
                let client = S3Client(settings: settings, timeout: aws.requestTimeout ?? AWSAccessOptions.defaultRequestTimeout,
                                      idleTimeout: idleTimeout, transferTimeout: aws.requestTimeout)
                let transfer = S3Transfer(client: client, partSize: UInt64(partSize) * 1024 * 1024)
                let guardian = InterruptCleanup(client: client)
                guardian.install()
                if let location = S3Location(destination) {
                    let result = try transfer.upload(file: source, to: location, progress: { p in
                        if p.parts > 1 {
                            OpsOutput.note("part \(p.part)/\(p.parts) uploaded (\(Self.mib(p.bytesSent)) of \(Self.mib(p.totalBytes)))")
                        }
                    }, openUploadChanged: { guardian.setOpenUpload($0) })
                    if json { return try OpsOutput.printJSON(result) }
                    print("upload: \(source) to \(location) (\(Self.mib(result.bytes))\(result.parts > 0 ? ", \(result.parts) parts" : ""))")
                } else if let location = S3Location(source) {
                    let bytes = try transfer.download(location, to: destination)
                    if json {
                        struct Output: Encodable { var bucket: String; var key: String; var file: String; var bytes: UInt64 }
                        return try OpsOutput.printJSON(Output(bucket: location.bucket, key: location.key, file: destination, bytes: bytes))
                    }
                    print("download: \(location) to \(destination) (\(Self.mib(bytes)))")
                }
            }
        }

        static func mib(_ bytes: UInt64) -> String {
            String(format: "%.1f MiB", Double(bytes) / 1_048_576)
        }
    }
}
