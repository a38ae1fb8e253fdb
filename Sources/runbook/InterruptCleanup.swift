import Foundation
import OpsActions

/// On SIGINT or SIGTERM during a transfer: aborts the open multipart upload (or removes the partial
/// download, through `PartialFiles`), says so, and exits 130 (SIGINT) or 143 (SIGTERM), so nothing
/// is left behind.
final class InterruptCleanup: @unchecked Sendable {
    // `@unchecked`: the mutable state is only touched while `lock` is held.
    private let lock = NSLock()
    private let client: S3Client
    private var openUpload: S3Transfer.OpenUpload?
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

    private func interrupted(by sig: Int32) {
        // Held until `_exit`: the main thread blocks in `setOpenUpload` instead of reporting a
        // failure of its own (its part was cut off by this abort) and exiting first with 1.
        lock.lock()
        let upload = openUpload
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
        } else if !PartialFiles.removeAll().isEmpty {
            Terminal.error("interrupted (\(name)): partial download removed")
        } else {
            Terminal.error("interrupted (\(name))")
        }
        _exit(128 + sig)
    }
}
