/// An object address, `s3://bucket/key`; the key may hold spaces, Unicode and slashes.
public struct S3Location: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Reads `s3://bucket/key`; nil for anything else (a local path).
    public init?(_ text: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst("s3://".count)
        guard let slash = rest.firstIndex(of: "/") else {
            bucket = String(rest)
            key = ""
            if bucket.isEmpty { return nil }
            return
        }
        bucket = String(rest[..<slash])
        key = String(rest[rest.index(after: slash)...])
        if bucket.isEmpty { return nil }
    }

    public var description: String { "s3://\(bucket)/\(key)" }

    /// The path-style request path, `/bucket/key` (encoded when the request is built).
    var path: String { key.isEmpty ? "/\(bucket)" : "/\(bucket)/\(key)" }
}
