import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("CurlTransport against a fault server: bounded replies, truncation, idle timeout")
struct CurlTransportFaultTests {
    @Test("the transport: a limit per request, kinds that say what went wrong, no total timeout means an idle one")
    func transport() throws {
        let endless = try FaultHTTPServer(.endlessChunked())
        let cut = try FaultHTTPServer(.truncated(declared: 5000, sent: 100))
        let hang = try FaultHTTPServer(.hang)
        let curl = CurlTransport()
        func kind(_ request: HTTPRequest) -> HTTPTransportError? {
            do {
                _ = try curl.send(request)
                return nil
            } catch {
                return error
            }
        }
        let tooLarge = kind(HTTPRequest(method: "GET", url: endless.url, maxReplyBytes: 1 << 20))
        #expect(tooLarge?.kind == .replyTooLarge && tooLarge?.limit == 1 << 20)
        #expect(tooLarge?.description == "the reply from 127.0.0.1:\(endless.port) is larger than 1 MiB, the most accepted; receiving stopped there (more than 1048576 bytes arrived)")
        #expect(kind(HTTPRequest(method: "GET", url: cut.url))?.kind == .truncatedReply)
        let started = Date()
        let stalled = kind(HTTPRequest(method: "GET", url: hang.url, timeout: nil, idleTimeout: 1))
        #expect(stalled?.kind == .stalled && stalled?.timeout == 1)
        #expect(Date().timeIntervalSince(started) < 4)
        #expect(stalled?.isRetryable == false)
    }
}
