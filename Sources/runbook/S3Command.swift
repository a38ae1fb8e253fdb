import ArgumentParser
import DocGen
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

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        @OptionGroup var selection: EnvironmentSelection
        @OptionGroup var aws: AWSAccessOptions

        func validate() throws {
            if partSize < 5 { throw ValidationError("--part-size must be at least 5 (MiB): S3's minimum part size") }
            if (S3Location(source) == nil) == (S3Location(destination) == nil) {
                throw ValidationError("one of SRC and DST must be s3://bucket/key and the other a local file")
            }
        }

        func run() throws {
            try Terminal.guarded {
                let environment = try selection.load()
                let settings = try aws.settings(for: environment, selection: selection)
                let client = S3Client(settings: settings, timeout: aws.requestTimeout ?? 600)
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
                    guardian.setPartialDownload("\(destination).partial-\(getpid())")
                    let bytes = try transfer.download(location, to: destination)
                    guardian.setPartialDownload(nil)
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

/// On SIGINT or SIGTERM during a transfer: aborts the open multipart upload (or removes a partial
/// download), says so, and exits 130 (SIGINT) or 143 (SIGTERM), so nothing is left behind.
final class InterruptCleanup: @unchecked Sendable {
    // `@unchecked`: the mutable state is only touched while `lock` is held.
    private let lock = NSLock()
    private let client: S3Client
    private var openUpload: S3Transfer.OpenUpload?
    private var partialDownload: String?
    private var sources: [any DispatchSourceSignal] = []

    init(client: S3Client) { self.client = client }

    func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)  // delivered to the dispatch source instead of killing the process
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in self.interrupted(by: sig) }
            source.resume()
            sources.append(source)
        }
    }

    func setOpenUpload(_ upload: S3Transfer.OpenUpload?) {
        lock.lock()
        openUpload = upload
        lock.unlock()
    }

    func setPartialDownload(_ path: String?) {
        lock.lock()
        partialDownload = path
        lock.unlock()
    }

    private func interrupted(by sig: Int32) {
        // Held until `_exit`: the main thread blocks in `setOpenUpload` instead of reporting a
        // failure of its own (its part was cut off by this abort) and exiting first with 1.
        lock.lock()
        let upload = openUpload, partial = partialDownload
        let name = sig == SIGINT ? "SIGINT" : "SIGTERM"
        if let upload {
            // A fresh client: the main thread's transport is busy with the part in flight.
            let aborter = S3Client(settings: client.aws.settings, transport: CurlTransport(), timeout: 30)
            do {
                try aborter.abortMultipartUpload(upload.location, uploadID: upload.uploadID)
                Terminal.error("interrupted (\(name)): multipart upload to \(upload.location) aborted, nothing left behind")
            } catch {
                Terminal.error("interrupted (\(name)): aborting multipart upload \(upload.uploadID) failed (\(error)); abort it with `aws s3api abort-multipart-upload --bucket \(upload.location.bucket) --key '\(upload.location.key)' --upload-id \(upload.uploadID)`")
            }
        } else if let partial {
            unlink(partial)
            Terminal.error("interrupted (\(name)): partial download removed")
        } else {
            Terminal.error("interrupted (\(name))")
        }
        _exit(128 + sig)
    }
}
