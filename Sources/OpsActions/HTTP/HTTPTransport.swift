import Foundation

/// Sends one HTTP request and returns the whole response; the seam between OpsActions and the network.
///
/// `CurlTransport` is the real one; tests use a fake that answers from a script.
public protocol HTTPTransport: Sendable {
    /// Sends `request`, waiting at most its timeouts; a non-2xx status is a response, not an error.
    func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse
}

/// What to send: method, absolute URL, headers, body, its timeouts and how much of a reply to accept.
///
/// Every request is bounded by default: a total timeout (or, for a transfer, an idle timeout in
/// its place) and a limit on the reply body, enforced while it arrives.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header fields in the order they are sent; names are sent as given.
    public var headers: [(name: String, value: String)]
    public var body: HTTPBody
    /// Longest wait for the TCP (and TLS) connection, in seconds.
    public var connectTimeout: Double
    /// Longest time for the whole exchange, in seconds; nil for none (a transfer of any size),
    /// in which case `idleTimeout` bounds it instead.
    public var timeout: Double?
    /// Longest time, in seconds (whole, at least 1), with less than a byte a second moving either
    /// way before the exchange is abandoned (curl's low-speed limit); a big transfer that keeps
    /// moving is never cut off. Used in place of a missing `timeout` when nil.
    public var idleTimeout: Double?
    /// Most bytes of a reply body kept in memory: more aborts the transfer as they arrive
    /// (`HTTPTransportError.Kind.replyTooLarge`), so memory never grows past it.
    public var maxReplyBytes: UInt64
    /// When set, a 2xx response body is written to this file (created or truncated) instead of
    /// memory, so a large download never sits in memory; other responses stay in `body`.
    /// Such a body must declare its `Content-Length`, which bounds it: no more is ever written,
    /// and fewer is a truncated reply.
    public var downloadPath: String?

    /// The reply limit when none is given: 64 MiB.
    public static let defaultMaxReplyBytes: UInt64 = 64 << 20
    /// The idle timeout used when neither a total nor an idle timeout is given.
    public static let defaultIdleTimeout: Double = 30

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: HTTPBody = .empty,
                connectTimeout: Double = 10, timeout: Double? = 60, idleTimeout: Double? = nil,
                maxReplyBytes: UInt64 = HTTPRequest.defaultMaxReplyBytes, downloadPath: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.idleTimeout = idleTimeout
        self.maxReplyBytes = maxReplyBytes
        self.downloadPath = downloadPath
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A request body: nothing, bytes in memory, or a byte range of a file streamed from disk.
public enum HTTPBody: Sendable, Equatable {
    case empty
    case bytes(Data)
    /// `length` bytes of the file at `path` starting at `offset`, read as curl sends them
    /// (S3 multipart parts: memory stays flat with the file's size).
    case file(path: String, offset: UInt64, length: UInt64)

    /// Bytes the body has.
    public var count: UInt64 {
        switch self {
        case .empty: return 0
        case .bytes(let d): return UInt64(d.count)
        case .file(_, _, let length): return length
        }
    }
}

/// What came back: status, headers, the body, and how long it took.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header fields of the final response, in order, names as the server sent them.
    public var headers: [(name: String, value: String)]
    /// The body (empty when a 2xx body went to the request's `downloadPath`).
    public var body: Data
    public var timing: HTTPTiming
    /// Bytes written to the request's `downloadPath`.
    public var downloadedBytes: UInt64 = 0

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(), timing: HTTPTiming = HTTPTiming()) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timing = timing
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Seconds from the start of a request to each phase, as curl measures them.
public struct HTTPTiming: Sendable, Equatable {
    public var nameLookup: Double = 0
    public var connect: Double = 0
    public var firstByte: Double = 0
    public var total: Double = 0
    public init(nameLookup: Double = 0, connect: Double = 0, firstByte: Double = 0, total: Double = 0) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.firstByte = firstByte
        self.total = total
    }
}

/// A request that got no HTTP response, with the host:port and what to check.
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Nothing listens on the port (ECONNREFUSED).
        case connectionRefused
        /// No TCP connection within the connect timeout (or another network failure).
        case connectFailed
        /// The connection was made but the whole exchange took longer than the timeout.
        case timedOut
        /// The host name did not resolve.
        case hostNotFound
        /// The TLS handshake or certificate check failed.
        case tls
        /// The proxy named in the environment did not resolve or answer.
        case proxy
        /// The connection broke in the middle of the exchange.
        case connectionLost
        /// A request body file could not be read.
        case bodyUnreadable
        /// The response body could not be written to the download file.
        case downloadUnwritable
        /// The URL or an option was refused by libcurl.
        case invalidRequest
        /// Less than a byte a second moved for the idle timeout (a stalled transfer).
        case stalled
        /// The reply body was larger than the request's limit (`limit`); receiving stopped there.
        case replyTooLarge
        /// The reply ended before the length it declared (or its last chunk) arrived.
        case truncatedReply
        /// The reply ran past the length it declared (a chunked body that also declares one).
        case longerThanDeclared
        /// A download reply declared no `Content-Length`, so it could be neither bounded nor checked.
        case lengthUndeclared
        /// The caller was cancelled before the request left: nothing was sent.
        case cancelled
    }

    public var kind: Kind
    /// `host:port` the request went to.
    public var endpoint: String
    /// libcurl's own words (never includes headers or bodies).
    public var detail: String
    /// The timeout in force, when it matters for the message.
    public var timeout: Double?
    /// The size limit in force, in bytes, for `replyTooLarge`.
    public var limit: UInt64?

    public init(kind: Kind, endpoint: String, detail: String, timeout: Double? = nil, limit: UInt64? = nil) {
        self.kind = kind
        self.endpoint = endpoint
        self.detail = detail
        self.timeout = timeout
        self.limit = limit
    }

    /// Whether sending again might work (connection-level failures, not a bad URL or a total timeout).
    public var isRetryable: Bool {
        switch kind {
        case .connectionRefused, .connectFailed, .connectionLost, .truncatedReply: return true
        case .timedOut, .hostNotFound, .tls, .proxy, .bodyUnreadable, .downloadUnwritable, .invalidRequest, .stalled,
             .replyTooLarge, .longerThanDeclared, .lengthUndeclared, .cancelled:
            return false
        }
    }

    public var description: String {
        let secs = timeout.map { Self.seconds($0) } ?? ""
        switch kind {
        case .connectionRefused:
            return "connection refused by \(endpoint): nothing is listening there; check the endpoint URL and that the service is up"
        case .connectFailed:
            return "could not connect to \(endpoint)\(secs.isEmpty ? "" : " within \(secs)") (\(detail)); check the endpoint URL, network and proxy settings"
        case .timedOut:
            return "\(endpoint) did not answer within \(secs.isEmpty ? "the timeout" : secs) (\(detail)); the service may be hanging or overloaded"
        case .hostNotFound:
            return "host of \(endpoint) not found (DNS: \(detail)); check the endpoint URL or region"
        case .tls:
            return "TLS with \(endpoint) failed (\(detail)); the certificate is checked always"
        case .proxy:
            return "proxy for \(endpoint) failed (\(detail)); check http_proxy/https_proxy/no_proxy"
        case .connectionLost:
            return "connection to \(endpoint) broke off (\(detail))"
        case .bodyUnreadable:
            return "could not read the request body for \(endpoint) (\(detail))"
        case .downloadUnwritable:
            return "could not write the reply from \(endpoint) to disk (\(detail))"
        case .invalidRequest:
            return "request to \(endpoint) refused before sending (\(detail))"
        case .stalled:
            return "\(endpoint) sent nothing for \(secs.isEmpty ? "too long" : secs) (\(detail)); the transfer stalled: the service may be hanging or the network down"
        case .replyTooLarge:
            return "the reply from \(endpoint) is larger than \(limit.map(Self.bytes) ?? "the limit"), the most accepted; receiving stopped there (\(detail))"
        case .truncatedReply:
            return "the reply from \(endpoint) was cut off before its end (\(detail))"
        case .longerThanDeclared:
            return "the reply from \(endpoint) runs past the length it declares; receiving stopped there (\(detail))"
        case .lengthUndeclared:
            return "the reply from \(endpoint) declares no Content-Length, so a download can be neither bounded nor checked (\(detail))"
        case .cancelled:
            return "not sent to \(endpoint): \(detail)"
        }
    }

    static func seconds(_ t: Double) -> String {
        t == t.rounded() ? "\(Int(t))s" : String(format: "%.1fs", t)
    }

    /// `64 MiB`, `1.5 GiB`, `512 KiB` or `100 bytes`: exact binary units when they fit.
    public static func bytes(_ n: UInt64) -> String {
        for (unit, shift) in [("GiB", UInt64(30)), ("MiB", 20), ("KiB", 10)] where n >= 1 << shift {
            let value = Double(n) / Double(UInt64(1) << shift)
            return value == value.rounded() ? "\(Int(value)) \(unit)" : String(format: "%.1f", value) + " " + unit
        }
        return "\(n) bytes"
    }
}

extension URL {
    /// `host:port` with the scheme's default port filled in (for messages).
    var hostAndPort: String {
        let host = self.host ?? "?"
        let port = self.port ?? (scheme == "http" ? 80 : 443)
        return "\(host):\(port)"
    }
}
