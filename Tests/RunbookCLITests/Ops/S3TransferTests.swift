import Crypto
import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("S3 transfers against moto: multipart streaming, abort on failure, downloads to disk")
struct S3TransferTests {
    let moto: MotoServer
    let bucket: String

    init() throws {
        moto = try OpsMoto.server()
        bucket = "backups-\(UUID().uuidString.prefix(8).lowercased())"
        try S3Client(settings: moto.settings()).createBucket(bucket)
    }

    var client: S3Client { S3Client(settings: moto.settings()) }

    /// Runs the CLI under `/usr/bin/time -f %M`: the result and the peak resident memory in KiB.
    func runMeasured(_ args: [String]) async throws -> (RunbookBinary.Result, Int)? {
        guard let m = try await RunbookBinary.runMeasured(args, environment: Canary.awsEnvironment(moto)) else { return nil }
        return (m.result, m.peakKiB)
    }

    @Test("a 130 MiB file goes up in 4 parts with peak memory far below its size, and comes back byte for byte")
    func multipartRoundTripMemory() async throws {
        let dir = try ScratchDirectory()
        let big = dir.path("pg_dump 2026-11-27.sql.gz"), small = dir.path("small.bin"), back = dir.path("restored.bin")
        let size = 130 * 1024 * 1024 + 12_345
        try TestFiles.make(big, size: size)
        try TestFiles.make(small, size: 64 * 1024)
        let key = "daily/2026-11-27/덤프 파일 (전체).sql.gz"
        let (baseline, baselineKiB) = try await #require(try runMeasured(["s3", "cp", small, "s3://\(bucket)/small.bin"]))
        #expect(baseline.status == 0, "\(baseline.stderr)")
        let (up, upKiB) = try await #require(try runMeasured(["s3", "cp", big, "s3://\(bucket)/\(key)", "--part-size", "40"]))
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout.contains("4 parts"))
        #expect(up.stderr.contains("part 4/4 uploaded"))
        // Peak memory: well under half the file, and within 8 MiB of a 64 KiB upload's.
        #expect(upKiB > 0 && upKiB * 1024 < size / 2, "peak \(upKiB) KiB for a \(size / 1024) KiB file")
        #expect(upKiB - baselineKiB < 8 * 1024, "peak \(upKiB) KiB vs \(baselineKiB) KiB for a small file")
        let (down, downKiB) = try await #require(try runMeasured(["s3", "cp", "s3://\(bucket)/\(key)", back]))
        #expect(down.status == 0, "\(down.stderr)")
        #expect(downKiB * 1024 < size / 2, "download peak \(downKiB) KiB")
        #expect(try TestFiles.sameBytes(big, back))
        #expect(try client.listMultipartUploads(bucket: bucket).isEmpty)
        for r in [baseline, up, down] { Canary.expectAbsent(r) }
    }

    @Test("small files go up in one PutObject; keys with spaces and Unicode round-trip; every request carries x-amz-content-sha256")
    func putObjectUnicodeKeys() throws {
        let dir = try ScratchDirectory()
        let file = dir.path("notes.txt")
        try Data("백업 메모: 2026-11-27\n".utf8).write(to: URL(fileURLWithPath: file))
        let recorder = RecordingTransport(CurlTransport())
        let s3 = S3Client(AWSClient(service: .s3, settings: moto.settings(), transport: recorder))
        let transfer = S3Transfer(client: s3)
        for key in ["with space/and+plus & amp.txt", "한글/백업 파일.txt", "emoji 🚀/~tilde=eq.txt"] {
            let result = try transfer.upload(file: file, to: S3Location(bucket: bucket, key: key))
            #expect(result.parts == 0)
            let out = dir.path("out-\(UUID().uuidString)")
            #expect(try transfer.download(S3Location(bucket: bucket, key: key), to: out) == UInt64(("백업 메모: 2026-11-27\n").utf8.count))
            #expect(try TestFiles.sameBytes(file, out))
        }
        let requests = recorder.requests
        #expect(requests.count == 6)
        for r in requests {
            let hash = r.header("x-amz-content-sha256") ?? ""
            #expect(hash.count == 64, "\(r.method) \(r.url.path) has no payload hash")
        }
        let put = try #require(requests.first { $0.method == "PUT" })
        let expected = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: file))).map { String(format: "%02x", $0) }.joined()
        #expect(put.header("x-amz-content-sha256") == expected)
        #expect {
            try transfer.download(S3Location(bucket: bucket, key: "missing.txt"), to: dir.path("none"))
        } throws: { "\($0)".contains("s3://\(bucket)/missing.txt does not exist") }
        #expect(!FileManager.default.fileExists(atPath: dir.path("none")))
    }

    @Test("a transport fault after part 2 aborts the multipart upload: nothing is left open")
    func faultAborts() throws {
        let dir = try ScratchDirectory()
        let file = dir.path("big.bin")
        try TestFiles.make(file, size: 4 * 5 * 1024 * 1024 - 100)
        let faulty = FaultyTransport(CurlTransport(), failUploadPart: 3)
        let s3 = S3Client(AWSClient(service: .s3, settings: moto.settings(), transport: faulty, retry: RetryPolicy(maxAttempts: 1)))
        let transfer = S3Transfer(client: s3, partSize: 5 * 1024 * 1024)
        var openStates: [Bool] = []
        #expect {
            try transfer.upload(file: file, to: S3Location(bucket: bucket, key: "broken upload.bin"),
                                openUploadChanged: { openStates.append($0 != nil) })
        } throws: { e in
            "\(e)".contains("failed after 2 part(s)") && "\(e)".contains("the multipart upload was aborted")
        }
        #expect(openStates == [true, false])
        #expect(try client.listMultipartUploads(bucket: bucket).isEmpty)
        #expect(faulty.requests.contains { $0.method == "DELETE" })
        #expect {
            try client.getObject(S3Location(bucket: bucket, key: "broken upload.bin"), to: dir.path("x"))
        } throws: { "\($0)".contains("does not exist") }
    }

    @Test("runbook s3 cp interrupted by SIGINT mid-upload aborts the upload and exits 130")
    func sigintAborts() throws {
        let dir = try ScratchDirectory()
        let file = dir.path("big.bin")
        try TestFiles.make(file, size: 26 * 5 * 1024 * 1024)
        let bin = try #require(RunbookBinary.path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["s3", "cp", file, "s3://\(bucket)/interrupted.bin", "--part-size", "5"]
        var env = Canary.awsEnvironment(moto)
        env["PATH"] = "/usr/bin:/bin"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var stderr = ""
        while !stderr.contains("part 1/26 uploaded") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderr += String(decoding: chunk, as: UTF8.self)
        }
        #expect(try client.listMultipartUploads(bucket: bucket).count == 1)
        kill(p.processIdentifier, SIGINT)
        stderr += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted (SIGINT): multipart upload to s3://\(bucket)/interrupted.bin aborted"))
        #expect(try client.listMultipartUploads(bucket: bucket).isEmpty)
        #expect(!stderr.contains(Canary.awsSecret))
    }
}

/// Passes requests to a real transport and records them.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    // `@unchecked`: `recorded` is only touched while `lock` is held.
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    let inner: any HTTPTransport

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var requests: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        lock.lock()
        recorded.append(request)
        lock.unlock()
        return try inner.send(request)
    }
}

/// A real transport that breaks the connection on UploadPart number `failUploadPart`.
final class FaultyTransport: HTTPTransport, @unchecked Sendable {
    private let recorder: RecordingTransport
    let failUploadPart: Int

    init(_ inner: any HTTPTransport, failUploadPart: Int) {
        recorder = RecordingTransport(inner)
        self.failUploadPart = failUploadPart
    }

    var requests: [HTTPRequest] { recorder.requests }

    func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        if request.method == "PUT", request.url.query?.contains("partNumber=\(failUploadPart)&") == true {
            throw HTTPTransportError(kind: .connectionLost, endpoint: request.url.host ?? "?", detail: "injected fault")
        }
        return try recorder.send(request)
    }
}
