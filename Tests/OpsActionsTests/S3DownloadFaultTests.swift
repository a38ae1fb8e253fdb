import Foundation
import OpsActions
import Testing
import TestSupport

/// S3 downloads from a fault server: streamed to a temporary file beside the target, bounded by
/// the object's Content-Length, renamed into place only when whole, removed on every failure.
@Suite("S3 downloads from untrusted replies: bounded, idle timeout, nothing left behind")
struct S3DownloadFaultTests {
    static func transfer(_ server: URL, idleTimeout: Double = 1) -> S3Transfer {
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "fake"),
                                   region: "ap-northeast-2", globalEndpoint: server)
        var aws = AWSClient(service: .s3, settings: settings, transport: CurlTransport(), retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.01),
                            connectTimeout: 2, timeout: 2)
        aws.idleTimeout = idleTimeout
        return S3Transfer(client: S3Client(aws))
    }

    static let object = S3Location(bucket: "backups", key: "daily/dump.sql.gz")

    /// Downloads into a fresh folder: the error (nil on success), the seconds taken, and what the folder holds after.
    static func download(_ fault: FaultHTTPServer.Fault, idleTimeout: Double = 1) throws -> (error: String?, seconds: Double, files: [String], bytes: UInt64) {
        let server = try FaultHTTPServer(fault)
        let dir = try ScratchDirectory()
        let started = Date()
        var error: String?
        var bytes: UInt64 = 0
        do {
            bytes = try transfer(server.url, idleTimeout: idleTimeout).download(object, to: dir.path("restore.sql.gz"))
        } catch let e {
            error = "\(e)"
        }
        let seconds = Date().timeIntervalSince(started)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
        for f in files { try FileManager.default.removeItem(atPath: dir.path(f)) }
        return (error, seconds, files, bytes)
    }

    @Test("a hanging endpoint: the transfer stalls out at its 1 s idle timeout; no file is left")
    func hanging() throws {
        let r = try Self.download(.hang)
        #expect(r.error?.hasPrefix("S3 GetObject failed: 127.0.0.1:") == true && r.error?.contains("sent nothing for 1s") == true, "\(r.error ?? "")")
        #expect(r.files.isEmpty)
    }

    @Test("an endless chunked body declares no length: refused before a byte is written; no file is left")
    func endless() throws {
        let r = try Self.download(.endlessChunked())
        #expect(r.error?.contains("declares no Content-Length, so a download can be neither bounded nor checked") == true, "\(r.error ?? "")")
        #expect(r.files.isEmpty)
    }

    @Test("a chunked body that runs past the Content-Length it declared is cut off there; no file is left")
    func pastDeclaredLength() throws {
        let r = try Self.download(.endlessChunked(declaring: 1 << 20))
        #expect(r.error?.contains("more bytes than its Content-Length of 1048576") == true, "\(r.error ?? "")")
        #expect(r.files.isEmpty)
    }

    @Test("a body cut off before its Content-Length fails after the retries; no file is left")
    func truncated() throws {
        let r = try Self.download(.truncated(declared: 10 << 20, sent: 1 << 20))
        #expect(r.error?.hasPrefix("S3 GetObject failed after 3 attempts: the reply from 127.0.0.1:") == true, "\(r.error ?? "")")
        #expect(r.error?.contains("was cut off before its end") == true)
        #expect(r.files.isEmpty)
    }

    @Test("a large object streams to disk whole; a slow one that keeps moving is never cut off by the idle timeout")
    func healthyTransfers() throws {
        let big = try Self.download(.huge(bytes: 96 << 20))
        #expect(big.error == nil, "\(big.error ?? "")")
        #expect(big.bytes == 96 << 20)
        #expect(big.files == ["restore.sql.gz"])
        // 2.5 s at 80 KB/s with a 1 s idle timeout and no total timeout.
        let slow = try Self.download(.slow(bytes: 200_000, bytesPerSecond: 80_000))
        #expect(slow.error == nil, "\(slow.error ?? "")")
        #expect(slow.bytes == 200_000)
        #expect(slow.seconds > 2)
        // A 200 with Content-Length 0 is an empty object, which S3 may hold.
        let empty = try Self.download(.empty)
        #expect(empty.error == nil && empty.bytes == 0 && empty.files == ["restore.sql.gz"])
    }

    @Test("a listing or completion answered with an empty 200 is an error naming the operation")
    func emptyListing() throws {
        let server = try FaultHTTPServer(.empty)
        let client = Self.transfer(server.url).client
        #expect { try client.listMultipartUploads(bucket: "backups") } throws: { e in
            "\(e)" == "S3 ListMultipartUploads failed: unreadable reply (HTTP 200): the body is empty, where an XML document was expected"
        }
        #expect { try client.createMultipartUpload(Self.object) } throws: { e in
            "\(e)".hasPrefix("S3 CreateMultipartUpload failed: unreadable reply (HTTP 200): the body is empty")
        }
    }

    @Test("PartialFiles: a discarded file is removed, a committed one is renamed into place")
    func partialFiles() throws {
        // removeAll() is left to the CLI tests (SIGTERM): here it would race other tests' downloads.
        let dir = try ScratchDirectory()
        let failed = dir.path("a.partial-1"), whole = dir.path("b.partial-1")
        for p in [failed, whole] { #expect(FileManager.default.createFile(atPath: p, contents: Data("x".utf8))) }
        PartialFiles.begin(failed)
        PartialFiles.begin(whole)
        PartialFiles.discard(failed)
        try PartialFiles.commit(whole, to: dir.path("b"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["b"])
        #expect { try PartialFiles.commit(failed, to: dir.path("a")) } throws: { "\($0)".contains("No such file") }
    }
}
