/// A failed AWS call, naming the service, operation, AWS error code, message and request id.
public struct AWSError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable {
        /// AWS answered with an error.
        case service(status: Int, code: String, message: String, requestID: String?)
        /// No answer: connection refused, timeout, DNS, TLS.
        case transport(HTTPTransportError)
        /// An answer that could not be read (not the documented JSON or XML).
        case unreadableResponse(status: Int, detail: String, requestID: String?)
    }

    public var service: String
    public var operation: String
    public var reason: Reason
    /// Attempts made (retries included).
    public var attempts: Int
    /// Where the credentials came from, to point at them on an authentication error.
    public var credentialSource: String?

    public init(service: String, operation: String, reason: Reason, attempts: Int = 1, credentialSource: String? = nil) {
        self.service = service
        self.operation = operation
        self.reason = reason
        self.attempts = attempts
        self.credentialSource = credentialSource
    }

    /// The AWS error code, if AWS answered.
    public var code: String? {
        if case .service(_, let code, _, _) = reason { return code }
        return nil
    }

    /// Codes AWS uses when the key, secret, token or signature is wrong.
    public static let authenticationCodes: Set<String> = [
        "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "InvalidClientTokenId",
        "AuthFailure", "IncompleteSignature", "ExpiredToken", "ExpiredTokenException", "MissingAuthenticationToken",
        "InvalidAccessKeyId", "MissingAuthenticationTokenException",
    ]

    /// Whether the credentials were rejected (as opposed to, say, a missing service).
    public var isAuthenticationFailure: Bool {
        guard let code else { return false }
        return Self.authenticationCodes.contains(code)
    }

    public var description: String {
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        switch reason {
        case .service(let status, let code, let message, let requestID):
            var s = "\(service) \(operation) failed\(tries): \(code): \(message.isEmpty ? "(no message)" : message) (HTTP \(status)"
            s += requestID.map { ", request id \($0))" } ?? ")"
            if isAuthenticationFailure {
                s += "; AWS rejected the credentials" + (credentialSource.map { " from \($0)" } ?? "") + ": check the access key and secret"
            }
            return s
        case .transport(let e) where e.kind == .replyTooLarge:
            return "\(service) \(operation) failed: \(e); if a reply this large is expected, raise \(AWSReplyLimit.variable)"
        case .transport(let e):
            return "\(service) \(operation) failed\(tries): \(e)"
        case .unreadableResponse(let status, let detail, let requestID):
            return "\(service) \(operation) failed\(tries): unreadable reply (HTTP \(status)\(requestID.map { ", request id \($0)" } ?? "")): \(detail)"
        }
    }
}
