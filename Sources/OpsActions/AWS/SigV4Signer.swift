import Crypto
import Foundation

/// AWS Signature Version 4 as a pure function: request + credentials + time in, canonical request,
/// string to sign and signature out.
///
/// Paths and query items come in decoded (as the application means them) and are percent-encoded
/// here exactly once (RFC 3986 unreserved characters stay). `normalizePath: false` is S3's style:
/// the path is signed as given, no `.`/`..`/`//` clean-up.
public enum SigV4Signer {
    /// What gets signed.
    public struct Request: Sendable {
        public var method: String
        /// The decoded path, starting with `/`.
        public var path: String
        /// Decoded query items, in any order.
        public var query: [(name: String, value: String)]
        /// Headers to sign, including `Host`; duplicates are joined with `,` in order.
        public var headers: [(name: String, value: String)]
        /// Lowercase hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`).
        public var payloadHash: String

        public init(method: String, path: String, query: [(name: String, value: String)] = [],
                    headers: [(name: String, value: String)], payloadHash: String) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// Region, service, time and the knobs that differ between services.
    public struct Options: Sendable {
        public var region: String
        public var service: String
        public var date: Date
        /// Remove `.`/`..` segments and empty segments from the path (every service but S3).
        public var normalizePath: Bool = true
        /// Add and sign `x-amz-content-sha256` (S3).
        public var signPayloadHeader: Bool = false
        /// Add `X-Amz-Security-Token` after signing instead of signing it (older STS-style services).
        public var omitSessionToken: Bool = false

        public init(region: String, service: String, date: Date, normalizePath: Bool = true,
                    signPayloadHeader: Bool = false, omitSessionToken: Bool = false) {
            self.region = region
            self.service = service
            self.date = date
            self.normalizePath = normalizePath
            self.signPayloadHeader = signPayloadHeader
            self.omitSessionToken = omitSessionToken
        }
    }

    /// The result of signing: the intermediate texts (for tests and debugging) and what to send.
    public struct Signature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        /// Lowercase hex.
        public var signature: String
        /// `Authorization` value (header signing); empty for a presigned URL.
        public var authorization: String
        /// Headers to add to the request (`X-Amz-Date`, `X-Amz-Security-Token`, `x-amz-content-sha256`, `Authorization`).
        public var headersToAdd: [(name: String, value: String)]
        /// For a presigned URL: the complete query (request's items plus the `X-Amz-*` ones), decoded.
        public var query: [(name: String, value: String)]
    }

    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Signs with an `Authorization` header.
    public static func sign(_ request: Request, credentials: AWSCredentials, options: Options) -> Signature {
        let amzDate = Self.amzDate(options.date)
        var headers = request.headers
        var added: [(name: String, value: String)] = []
        headers.append((name: "X-Amz-Date", value: amzDate))
        added.append((name: "X-Amz-Date", value: amzDate))
        if let token = credentials.sessionToken {
            added.append((name: "X-Amz-Security-Token", value: token))
            if !options.omitSessionToken { headers.append((name: "X-Amz-Security-Token", value: token)) }
        }
        if options.signPayloadHeader {
            headers.append((name: "x-amz-content-sha256", value: request.payloadHash))
            added.append((name: "x-amz-content-sha256", value: request.payloadHash))
        }
        let (canonicalHeaders, signedHeaders) = canonicalize(headers: headers)
        let canonical = [
            request.method.uppercased(), canonicalPath(request.path, normalize: options.normalizePath),
            canonicalQuery(request.query), canonicalHeaders, signedHeaders, request.payloadHash,
        ].joined(separator: "\n")
        let scope = credentialScope(options)
        let toSign = stringToSign(canonical, amzDate: amzDate, scope: scope)
        let sig = signature(toSign, secret: credentials.secretAccessKey, options: options)
        let auth = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(sig)"
        added.append((name: "Authorization", value: auth))
        return Signature(canonicalRequest: canonical, stringToSign: toSign, signature: sig, authorization: auth,
                         headersToAdd: added, query: request.query)
    }

    /// Signs for a presigned URL: the signature and credentials travel in the query.
    public static func presign(_ request: Request, credentials: AWSCredentials, options: Options,
                               expiresInSeconds: Int) -> Signature {
        let amzDate = Self.amzDate(options.date)
        let scope = credentialScope(options)
        let (canonicalHeaders, signedHeaders) = canonicalize(headers: request.headers)
        var query = request.query
        query.append((name: "X-Amz-Algorithm", value: "AWS4-HMAC-SHA256"))
        query.append((name: "X-Amz-Credential", value: "\(credentials.accessKeyID)/\(scope)"))
        query.append((name: "X-Amz-Date", value: amzDate))
        query.append((name: "X-Amz-SignedHeaders", value: signedHeaders))
        query.append((name: "X-Amz-Expires", value: String(expiresInSeconds)))
        if let token = credentials.sessionToken, !options.omitSessionToken {
            query.append((name: "X-Amz-Security-Token", value: token))
        }
        let canonical = [
            request.method.uppercased(), canonicalPath(request.path, normalize: options.normalizePath),
            canonicalQuery(query), canonicalHeaders, signedHeaders, request.payloadHash,
        ].joined(separator: "\n")
        let toSign = stringToSign(canonical, amzDate: amzDate, scope: scope)
        let sig = signature(toSign, secret: credentials.secretAccessKey, options: options)
        if let token = credentials.sessionToken, options.omitSessionToken {
            query.append((name: "X-Amz-Security-Token", value: token))
        }
        query.append((name: "X-Amz-Signature", value: sig))
        return Signature(canonicalRequest: canonical, stringToSign: toSign, signature: sig, authorization: "",
                         headersToAdd: [], query: query)
    }

    // MARK: - Pieces

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
    public static func amzDate(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? cal.timeZone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Lowercase hex SHA-256 of `data`.
    public static func sha256Hex(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// The path with each segment percent-encoded once; `.`/`..`/empty segments removed when normalising.
    public static func canonicalPath(_ path: String, normalize: Bool) -> String {
        var p = path.isEmpty ? "/" : path
        if !p.hasPrefix("/") { p = "/" + p }
        var segments = p.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        segments.removeFirst()  // before the leading "/"
        if normalize {
            let trailingSlash = p.count > 1 && (p.hasSuffix("/") || p.hasSuffix("/.") || p.hasSuffix("/.."))
            var out: [String] = []
            for s in segments {
                switch s {
                case "", ".": continue
                case "..": if !out.isEmpty { out.removeLast() }
                default: out.append(s)
                }
            }
            let joined = "/" + out.map { uriEncode($0) }.joined(separator: "/")
            return trailingSlash && !out.isEmpty ? joined + "/" : joined
        }
        return "/" + segments.map { uriEncode($0) }.joined(separator: "/")
    }

    /// `name=value` pairs, encoded, sorted by name then value, joined with `&`.
    public static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        let encoded: [(String, String)] = items.map { (uriEncode($0.name), uriEncode($0.value)) }
        let sorted = encoded.sorted { (a: (String, String), b: (String, String)) -> Bool in
            a.0 == b.0 ? a.1 < b.1 : a.0 < b.0
        }
        return sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Canonical header block (with its trailing newline) and the signed-headers list.
    public static func canonicalize(headers: [(name: String, value: String)]) -> (String, String) {
        var merged: [String: [String]] = [:]
        for h in headers {
            merged[h.name.lowercased(), default: []].append(trimValue(h.value))
        }
        let names = merged.keys.sorted()
        let block = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    /// Trims and collapses runs of whitespace (folded lines included) to one space.
    static func trimValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - _ . ~`, as uppercase `%XX` of the UTF-8 bytes.
    public static func uriEncode(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if isUnreserved(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x7E  // - _ . ~
    }

    static func credentialScope(_ options: Options) -> String {
        "\(amzDate(options.date).prefix(8))/\(options.region)/\(options.service)/aws4_request"
    }

    static func stringToSign(_ canonical: String, amzDate: String, scope: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(sha256Hex(Data(canonical.utf8)))"
    }

    static func signature(_ stringToSign: String, secret: String, options: Options) -> String {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
        }
        let kDate = hmac(SymmetricKey(data: Data("AWS4\(secret)".utf8)), String(amzDate(options.date).prefix(8)))
        let kRegion = hmac(kDate, options.region)
        let kService = hmac(kRegion, options.service)
        let kSigning = hmac(kService, "aws4_request")
        return hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: kSigning))
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
