import Foundation
import Crypto

/// S3 over REST-XML with path-style addressing (`https://endpoint/bucket/key`), every request
/// carrying `x-amz-content-sha256`; bodies stream from files and downloads go to files.
public struct S3Client: Sendable {
    public var aws: AWSClient

    public init(_ aws: AWSClient) { self.aws = aws }

    /// The S3 client for resolved settings, over libcurl. `timeout` bounds each call (create, list,
    /// abort); a transfer (an object, a part, completing an upload) has no total limit unless
    /// `transferTimeout` is given: it is abandoned after `idleTimeout` seconds without a byte moving.
    public init(settings: AWSSettings, transport: any HTTPTransport = CurlTransport(), timeout: Double = 30,
                idleTimeout: Double = HTTPRequest.defaultIdleTimeout, transferTimeout: Double? = nil) {
        aws = AWSClient(service: .s3, settings: settings, transport: transport, timeout: timeout)
        aws.idleTimeout = idleTimeout
        aws.transferTimeout = transferTimeout
    }

    // MARK: - Objects

    /// Uploads `length` bytes of `file` from `offset` in one PutObject; returns the ETag.
    @discardableResult
    public func putObject(_ location: S3Location, file: String, offset: UInt64 = 0, length: UInt64) throws(S3Error) -> String {
        let hash = try Self.sha256Hex(file: file, offset: offset, length: length)
        let response = try send("PutObject", location, method: "PUT", body: .file(path: file, offset: offset, length: length),
                                payloadHash: hash, headers: [(name: "Content-Type", value: "application/octet-stream")], transfer: true)
        return response.header("ETag") ?? ""
    }

    /// Writes the object to `file` as it arrives (never whole in memory), no more and no fewer
    /// bytes than its `Content-Length`; returns the bytes written.
    @discardableResult
    public func getObject(_ location: S3Location, to file: String) throws(S3Error) -> UInt64 {
        let response = try send("GetObject", location, method: "GET", downloadPath: file, transfer: true)
        return response.downloadedBytes
    }

    /// Creates a bucket (in the client's region).
    public func createBucket(_ bucket: String) throws(S3Error) {
        var body = HTTPBody.empty
        if aws.settings.region != "us-east-1" {
            body = .bytes(Data("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(aws.settings.region)</LocationConstraint></CreateBucketConfiguration>".utf8))
        }
        _ = try send("CreateBucket", S3Location(bucket: bucket, key: ""), method: "PUT", body: body,
                     headers: [(name: "Content-Type", value: "application/xml")])
    }

    // MARK: - Multipart

    /// Starts a multipart upload; returns its upload id.
    public func createMultipartUpload(_ location: S3Location) throws(S3Error) -> String {
        let response = try send("CreateMultipartUpload", location, method: "POST", query: [(name: "uploads", value: "")],
                                headers: [(name: "Content-Type", value: "application/octet-stream")])
        guard let id = try readXML(response, "CreateMultipartUpload").value("UploadId"), !id.isEmpty else {
            throw S3Error.aws(AWSError(service: "S3", operation: "CreateMultipartUpload",
                                       reason: .unreadableResponse(status: response.status, detail: "no UploadId in the reply", requestID: nil)))
        }
        return id
    }

    /// Uploads one part, streamed from `length` bytes of `file` at `offset`; returns its ETag.
    public func uploadPart(_ location: S3Location, uploadID: String, partNumber: Int, file: String, offset: UInt64,
                           length: UInt64) throws(S3Error) -> String {
        let hash = try Self.sha256Hex(file: file, offset: offset, length: length)
        let response = try send("UploadPart", location, method: "PUT",
                                query: [(name: "partNumber", value: String(partNumber)), (name: "uploadId", value: uploadID)],
                                body: .file(path: file, offset: offset, length: length), payloadHash: hash, transfer: true)
        return response.header("ETag") ?? ""
    }

    /// Completes the upload from its parts' numbers and ETags.
    public func completeMultipartUpload(_ location: S3Location, uploadID: String, parts: [(number: Int, etag: String)]) throws(S3Error) {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for p in parts {
            xml += "<Part><PartNumber>\(p.number)</PartNumber><ETag>\(Self.xmlEscape(p.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        // A transfer: S3 may take minutes to assemble the parts, sending spaces meanwhile.
        let response = try send("CompleteMultipartUpload", location, method: "POST", query: [(name: "uploadId", value: uploadID)],
                                body: .bytes(Data(xml.utf8)), headers: [(name: "Content-Type", value: "application/xml")], transfer: true)
        let tree = try readXML(response, "CompleteMultipartUpload")
        // S3 may answer 200 with an <Error> body when completing fails late.
        if tree.name == "Error" {
            throw S3Error.aws(AWSError(service: "S3", operation: "CompleteMultipartUpload",
                                       reason: .service(status: response.status, code: tree.value("Code") ?? "InternalError",
                                                        message: tree.value("Message") ?? "", requestID: tree.value("RequestId"))))
        }
    }

    /// Aborts the upload, discarding its parts.
    public func abortMultipartUpload(_ location: S3Location, uploadID: String) throws(S3Error) {
        _ = try send("AbortMultipartUpload", location, method: "DELETE", query: [(name: "uploadId", value: uploadID)])
    }

    /// The multipart uploads still open in `bucket`: key and upload id.
    public func listMultipartUploads(bucket: String) throws(S3Error) -> [(key: String, uploadID: String)] {
        let response = try send("ListMultipartUploads", S3Location(bucket: bucket, key: ""), method: "GET",
                                query: [(name: "uploads", value: "")])
        let uploads = try readXML(response, "ListMultipartUploads").children("Upload")
        return uploads.map { (key: $0.value("Key") ?? "", uploadID: $0.value("UploadId") ?? "") }
    }

    // MARK: - Plumbing

    /// The reply's XML; an empty or broken body is an error naming the operation.
    private func readXML(_ response: HTTPResponse, _ operation: String) throws(S3Error) -> XMLTree {
        do {
            return try aws.readXML(response, operation: operation)
        } catch {
            throw S3Error.aws(error)
        }
    }

    private func send(_ operation: String, _ location: S3Location, method: String, query: [(name: String, value: String)] = [],
                      body: HTTPBody = .empty, payloadHash: String? = nil, headers: [(name: String, value: String)] = [],
                      downloadPath: String? = nil, transfer: Bool = false) throws(S3Error) -> HTTPResponse {
        var headers = headers
        if body != .empty && !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            // S3 stores the type with the object; a backup is bytes, not a form.
            headers.append((name: "Content-Type", value: "application/octet-stream"))
        }
        do {
            return try aws.send(operation: operation, method: method, path: location.path, query: query, headers: headers,
                                body: body, payloadHash: payloadHash, downloadPath: downloadPath, transfer: transfer,
                                parseError: Self.restError)
        } catch {
            switch error.code {
            case "NoSuchBucket": throw S3Error.noSuchBucket(location.bucket)
            case "NoSuchKey": throw S3Error.noSuchKey(location)
            default:
                if case .transport(let t) = error.reason, t.kind == .bodyUnreadable || t.kind == .downloadUnwritable {
                    throw S3Error.localFile(path: downloadPath ?? "the upload file", reason: t.detail)
                }
                throw S3Error.aws(error)
            }
        }
    }

    /// `<Error><Code>..</Code><Message>..</Message></Error>`; a bodiless 404 (HEAD) is NoSuchKey.
    static func restError(_ response: HTTPResponse) -> (code: String, message: String)? {
        if let parsed = AWSClient.queryError(response) { return parsed }
        if response.status == 404 && response.body.isEmpty { return ("NoSuchKey", "not found") }
        return nil
    }

    static func xmlEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// SHA-256 (lowercase hex) of a byte range of a file, read 1 MiB at a time.
    public static func sha256Hex(file: String, offset: UInt64, length: UInt64) throws(S3Error) -> String {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw S3Error.localFile(path: file, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var hasher = SHA256()
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var position = offset, left = length
        while left > 0 {
            let got = pread(fd, buffer, Int(min(UInt64(chunk), left)), off_t(position))
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                throw S3Error.localFile(path: file, reason: got == 0 ? "file ended \(left) bytes early (changed while uploading?)"
                                                                    : String(cString: strerror(errno)))
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: got))
            position += UInt64(got)
            left -= UInt64(got)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
