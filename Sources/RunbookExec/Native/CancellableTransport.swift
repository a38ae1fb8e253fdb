import Foundation
import OpsActions
import Synchronization
import SystemIO

/// The requests a native action sent, in order (`ECS UpdateService`), for its record.
public final class SentRequests: Sendable {
    private let list = Mutex<[String]>([])

    public init() {}

    public var all: [String] { list.withLock { $0 } }

    func add(_ request: String) { list.withLock { $0.append(request) } }
}

/// A transport that sends nothing once its action is cancelled (timeout, Ctrl-C, SIGTERM) and
/// notes every request it sends. A request already on the wire runs to its own timeout; no
/// further one starts, so a redeploy cancelled before its `UpdateService` never sends it.
struct CancellableTransport: HTTPTransport {
    let base: any HTTPTransport
    let cancel: CancelFlag
    let sent: SentRequests

    func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
        guard !cancel.isSet else {
            throw HTTPTransportError(kind: .cancelled, endpoint: request.url.host ?? request.url.absoluteString,
                                     detail: "the action was cancelled; this request was not sent")
        }
        sent.add(Self.describe(request))
        return try base.send(request)
    }

    /// `ECS UpdateService` for awsJson calls (from X-Amz-Target), else the method and host
    /// (`POST sts.amazonaws.com`: a query-protocol action is in the body).
    static func describe(_ request: HTTPRequest) -> String {
        if let target = request.headers.first(where: { $0.name.lowercased() == "x-amz-target" })?.value,
           let dot = target.lastIndex(of: ".") {
            let service = target.hasPrefix("AmazonEC2ContainerService") ? "ECS" : target.hasPrefix("Logs_") ? "Logs" : String(target[..<dot])
            return "\(service) \(target[target.index(after: dot)...])"
        }
        // Host only: a path may carry a token (a webhook), and the list goes into the audit log.
        return "\(request.method) \(request.url.host ?? "?")"
    }
}
