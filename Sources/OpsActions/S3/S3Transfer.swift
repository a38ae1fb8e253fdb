import Foundation

/// Copies backups to and from S3: one PutObject for a small file, else a multipart upload whose
/// parts are read from disk one at a time (memory stays flat whatever the file's size), aborted
/// on any failure so no parts are left behind; downloads stream to disk and appear only when whole.
public struct S3Transfer: Sendable {
    public var client: S3Client
    /// Bytes per part (S3's minimum is 5 MiB, except the last part).
    public var partSize: UInt64
    /// Files of at least this many bytes go multipart.
    public var multipartThreshold: UInt64

    public static let minimumPartSize: UInt64 = 5 * 1024 * 1024
    public static let defaultPartSize: UInt64 = 8 * 1024 * 1024
    /// S3's limit on parts per upload.
    public static let maximumParts: UInt64 = 10_000

    public init(client: S3Client, partSize: UInt64 = S3Transfer.defaultPartSize, multipartThreshold: UInt64? = nil) {
        self.client = client
        self.partSize = max(partSize, Self.minimumPartSize)
        self.multipartThreshold = multipartThreshold ?? self.partSize
    }

    /// An open multipart upload (to abort when the process is interrupted).
    public struct OpenUpload: Sendable, Equatable {
        public var location: S3Location
        public var uploadID: String
    }

    /// Progress after each part (or the single PutObject).
    public struct Progress: Sendable, Equatable {
        public var part: Int
        public var parts: Int
        public var bytesSent: UInt64
        public var totalBytes: UInt64
    }

    /// What an upload did.
    public struct UploadResult: Codable, Sendable, Equatable {
        public var bucket: String
        public var key: String
        public var bytes: UInt64
        /// 0 for a single PutObject.
        public var parts: Int
        public var etag: String
    }

    /// Uploads `file` to `location`. `openUploadChanged` is told the multipart upload while it is
    /// open and nil once it is completed or aborted (a signal handler uses it to abort).
    public func upload(file: String, to location: S3Location, progress: (Progress) -> Void = { _ in },
                       openUploadChanged: (OpenUpload?) -> Void = { _ in }) throws(S3Error) -> UploadResult {
        guard !location.key.isEmpty else { throw S3Error.missingKey(location.description) }
        let size = try Self.fileSize(file)
        if size < multipartThreshold {
            let etag = try client.putObject(location, file: file, length: size)
            progress(Progress(part: 1, parts: 1, bytesSent: size, totalBytes: size))
            return UploadResult(bucket: location.bucket, key: location.key, bytes: size, parts: 0, etag: etag)
        }
        // Grow the part size if the file would need more than S3's 10,000 parts.
        var part = partSize
        while (size + part - 1) / part > Self.maximumParts { part *= 2 }
        let count = Int((size + part - 1) / part)

        let uploadID = try client.createMultipartUpload(location)
        let open = OpenUpload(location: location, uploadID: uploadID)
        openUploadChanged(open)
        var etags: [(number: Int, etag: String)] = []
        do {
            for n in 1...count {
                let offset = UInt64(n - 1) * part
                let length = min(part, size - offset)
                let etag = try client.uploadPart(location, uploadID: uploadID, partNumber: n, file: file, offset: offset, length: length)
                etags.append((number: n, etag: etag))
                progress(Progress(part: n, parts: count, bytesSent: offset + length, totalBytes: size))
            }
            try client.completeMultipartUpload(location, uploadID: uploadID, parts: etags)
        } catch {
            var abortFailure: String?
            do {
                try client.abortMultipartUpload(location, uploadID: uploadID)
            } catch let e {
                abortFailure = e.description
            }
            openUploadChanged(nil)
            throw S3Error.multipartFailed(location: location, uploadID: uploadID, partsDone: etags.count,
                                          cause: error.description, abortFailure: abortFailure)
        }
        openUploadChanged(nil)
        return UploadResult(bucket: location.bucket, key: location.key, bytes: size, parts: count, etag: "")
    }

    /// Downloads `location` to `file`: written to `file.partial-PID` in the same folder first,
    /// never more than the object's `Content-Length`, and renamed into place only when whole, so a
    /// failed, timed-out or interrupted download never leaves a file under either name
    /// (`PartialFiles` removes it on SIGINT/SIGTERM and at exit).
    @discardableResult
    public func download(_ location: S3Location, to file: String) throws(S3Error) -> UInt64 {
        guard !location.key.isEmpty else { throw S3Error.missingKey(location.description) }
        let temporary = "\(file).partial-\(getpid())"
        PartialFiles.begin(temporary)
        let bytes: UInt64
        do {
            bytes = try client.getObject(location, to: temporary)
        } catch {
            PartialFiles.discard(temporary)
            throw error
        }
        try PartialFiles.commit(temporary, to: file)
        return bytes
    }

    static func fileSize(_ path: String) throws(S3Error) -> UInt64 {
        var st = stat()
        guard stat(path, &st) == 0 else { throw S3Error.localFile(path: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw S3Error.localFile(path: path, reason: "not a regular file") }
        return UInt64(st.st_size)
    }
}
