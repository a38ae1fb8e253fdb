import Foundation
import OpsActions

/// An `HTTPTransport` that answers from a script and records every request (for unit tests).
public final class FakeTransport: HTTPTransport, @unchecked Sendable {
    // `@unchecked`: all state is behind `lock`.
    private let lock = NSLock()
    private var script: [Result<HTTPResponse, HTTPTransportError>]
    private var recorded: [HTTPRequest] = []
    private let fallback: Result<HTTPResponse, HTTPTransportError>

    /// Answers with `script` in order, then with `fallback` for ever.
    public init(_ script: [Result<HTTPResponse, HTTPTransportError>] = [],
                fallback: Result<HTTPResponse, HTTPTransportError> = .success(HTTPResponse(status: 200, body: Data("{}".utf8)))) {
        self.script = script
        self.fallback = fallback
    }

    /// Every request sent so far.
    public var requests: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    public func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        lock.lock()
        recorded.append(request)
        let next = script.isEmpty ? fallback : script.removeFirst()
        lock.unlock()
        return try next.get()
    }

    /// A JSON response with the given status and body text.
    public static func json(_ status: Int, _ body: String, requestID: String = "fake-request-id") -> Result<HTTPResponse, HTTPTransportError> {
        .success(HTTPResponse(status: status, headers: [(name: "Content-Type", value: "application/x-amz-json-1.1"),
                                                        (name: "x-amzn-RequestId", value: requestID)],
                              body: Data(body.utf8)))
    }
}
