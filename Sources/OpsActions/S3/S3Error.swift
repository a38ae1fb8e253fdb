/// Why an S3 transfer failed, with the object and what to do.
public enum S3Error: Error, Sendable, CustomStringConvertible {
    case aws(AWSError)
    case noSuchBucket(String)
    case noSuchKey(S3Location)
    /// A local file could not be read or written.
    case localFile(path: String, reason: String)
    /// The location has no key where one is needed.
    case missingKey(String)
    /// A multipart upload failed or was interrupted; it was aborted (or aborting failed too).
    case multipartFailed(location: S3Location, uploadID: String, partsDone: Int, cause: String, abortFailure: String?)

    public var description: String {
        switch self {
        case .aws(let e): return e.description
        case .noSuchBucket(let b):
            return "S3 bucket \(b) does not exist (or is in another account/region); check backup_bucket in runbook.toml"
        case .noSuchKey(let loc):
            return "\(loc) does not exist; list the bucket to find the object"
        case .localFile(let path, let reason):
            return "\(path): \(reason)"
        case .missingKey(let text):
            return "\(text) names a bucket but no object key; write s3://bucket/path/to/object"
        case .multipartFailed(let loc, let id, let parts, let cause, let abortFailure):
            if let abortFailure {
                return "upload to \(loc) failed after \(parts) part(s): \(cause); aborting multipart upload \(id) failed too (\(abortFailure)): abort it with `aws s3api abort-multipart-upload --bucket \(loc.bucket) --key '\(loc.key)' --upload-id \(id)`"
            }
            return "upload to \(loc) failed after \(parts) part(s): \(cause); the multipart upload was aborted, nothing is left behind"
        }
    }
}
