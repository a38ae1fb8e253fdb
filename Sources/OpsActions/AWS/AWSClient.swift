import Foundation

/// Sends signed requests to one AWS service, with retries; protocol clients (JSON, query, REST-XML)
/// build on `send`.
public struct AWSClient: Sendable {
    public var service: AWSService
    public var settings: AWSSettings
    public var transport: any HTTPTransport
    public var retry: RetryPolicy
    /// Connect and total timeout of each attempt of a call, in seconds.
    public var connectTimeout: Double
    public var timeout: Double
    /// A transfer (an S3 object or part) has no total timeout unless `transferTimeout` is set: it
    /// is abandoned after `idleTimeout` seconds with less than a byte a second moving.
    public var idleTimeout: Double = HTTPRequest.defaultIdleTimeout
    public var transferTimeout: Double?
    /// The time requests are signed with.
    public var clock: @Sendable () -> Date
    public var userAgent: String = "runbook-opsactions/1.0"

    public init(service: AWSService, settings: AWSSettings, transport: any HTTPTransport, retry: RetryPolicy = RetryPolicy(),
                connectTimeout: Double = 5, timeout: Double = 30, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.service = service
        self.settings = settings
        self.transport = transport
        self.retry = retry
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.clock = clock
    }

    public var endpoint: URL { settings.endpoint(for: service) }

    /// Signs and sends one request, retrying throttling, 5xx and connection failures;
    /// returns the first 2xx response, or throws the error in AWS's words.
    ///
    /// A reply body in memory may have at most `settings.maxReplyBytes`. `downloadPath`, when set,
    /// receives a 2xx body on disk instead of memory, bounded by its declared length. A `transfer`
    /// is bounded by the idle timeout (and `transferTimeout` if set) instead of `timeout`.
    /// `parseError` reads the AWS error code out of a failed response (protocol-specific).
    public func send(operation: String, method: String = "POST", path: String = "/",
                     query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
                     body: HTTPBody = .empty, payloadHash: String? = nil, downloadPath: String? = nil, transfer: Bool = false,
                     parseError: (HTTPResponse) -> (code: String, message: String)?) throws(AWSError) -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            var request = signedRequest(method: method, path: path, query: query, headers: headers, body: body, payloadHash: payloadHash)
            request.downloadPath = downloadPath  // a 2xx body goes to this file, not memory (S3 GetObject)
            request.maxReplyBytes = settings.maxReplyBytes
            if transfer {
                request.timeout = transferTimeout
                request.idleTimeout = idleTimeout
            }
            let response: HTTPResponse
            do {
                response = try transport.send(request)
            } catch {
                if error.isRetryable && attempt < retry.maxAttempts {
                    retry.sleeper.sleep(seconds: retry.delay(afterAttempt: attempt))
                    continue
                }
                throw AWSError(service: service.displayName, operation: operation, reason: .transport(error), attempts: attempt,
                               credentialSource: settings.credentials.source)
            }
            if (200..<300).contains(response.status) { return response }
            let parsed = parseError(response)
            if RetryPolicy.isRetryable(status: response.status, code: parsed?.code) && attempt < retry.maxAttempts {
                retry.sleeper.sleep(seconds: retry.delay(afterAttempt: attempt))
                continue
            }
            let requestID = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
                ?? XMLTree.parse(response.body, maxBytes: settings.maxReplyBytes)?.first("RequestId")?.text
            let reason: AWSError.Reason
            if let parsed {
                reason = .service(status: response.status, code: parsed.code, message: parsed.message, requestID: requestID)
            } else {
                let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self)
                    .replacingOccurrences(of: "\n", with: " ")
                reason = .unreadableResponse(status: response.status, detail: excerpt.isEmpty ? "empty body" : excerpt, requestID: requestID)
            }
            throw AWSError(service: service.displayName, operation: operation, reason: reason, attempts: attempt,
                           credentialSource: settings.credentials.source)
        }
    }

    /// The request with `Host`, `X-Amz-Date`, the token and `Authorization` filled in.
    func signedRequest(method: String, path: String, query: [(name: String, value: String)],
                       headers: [(name: String, value: String)], body: HTTPBody, payloadHash: String?) -> HTTPRequest {
        let base = endpoint
        let host: String = {
            let h = base.host ?? ""
            if let port = base.port { return "\(h):\(port)" }
            return h
        }()
        let basePath = base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path
        let fullPath = basePath + (path.hasPrefix("/") ? path : "/" + path)
        let hash: String
        if let payloadHash {
            hash = payloadHash
        } else if case .bytes(let data) = body {
            hash = SigV4Signer.sha256Hex(data)
        } else {
            hash = SigV4Signer.emptyPayloadHash
        }
        var signed = headers
        signed.append((name: "Host", value: host))
        let sig = SigV4Signer.sign(
            SigV4Signer.Request(method: method, path: fullPath, query: query, headers: signed, payloadHash: hash),
            credentials: settings.credentials,
            options: SigV4Signer.Options(region: settings.region, service: service.signingName, date: clock(),
                                         normalizePath: !service.isS3Style, signPayloadHeader: service.isS3Style))
        var all = signed.filter { $0.name != "Host" }  // curl sends Host itself, from the URL
        all.append(contentsOf: sig.headersToAdd)
        all.append((name: "User-Agent", value: userAgent))
        var encodedPath = fullPath.split(separator: "/", omittingEmptySubsequences: false)
            .map { SigV4Signer.uriEncode(String($0)) }.joined(separator: "/")
        if encodedPath.isEmpty { encodedPath = "/" }
        var urlText = "\(base.scheme ?? "https")://\(host)\(encodedPath)"
        if !query.isEmpty { urlText += "?" + SigV4Signer.canonicalQuery(query) }
        let url = URL(string: urlText) ?? base
        return HTTPRequest(method: method, url: url, headers: all, body: body, connectTimeout: connectTimeout, timeout: timeout)
    }
}
