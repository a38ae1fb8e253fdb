import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("CurlTransport against a real server (moto's S3)")
struct CurlTransportTests {
    @Test("a PUT streams a byte range of a file, a GET brings the same bytes back, on one handle")
    func fileBodyRoundTrip() throws {
        let moto = try SharedMoto.server()
        let bucket = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let s3 = AWSClient(service: .s3, settings: moto.settings(region: "us-east-1"), transport: CurlTransport())
        _ = try s3.send(operation: "CreateBucket", method: "PUT", path: "/\(bucket)", parseError: AWSClient.queryError)

        let path = NSTemporaryDirectory() + "runbook-body-\(UUID().uuidString)"
        var bytes = Data()
        for i in 0..<300_000 { bytes.append(UInt8(truncatingIfNeeded: i &* 31)) }
        try bytes.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let put = try s3.send(operation: "PutObject", method: "PUT", path: "/\(bucket)/dump 1.sql",
                              body: .file(path: path, offset: 1000, length: 250_000),
                              payloadHash: "UNSIGNED-PAYLOAD", parseError: AWSClient.queryError)
        #expect(put.status == 200)
        let get = try s3.send(operation: "GetObject", method: "GET", path: "/\(bucket)/dump 1.sql", parseError: AWSClient.queryError)
        #expect(get.body == bytes.subdata(in: 1000..<251_000))
        #expect(get.timing.total > 0)
    }

    @Test("a body file that cannot be read is a clear error before anything is sent")
    func missingBodyFile() throws {
        let moto = try SharedMoto.server()
        #expect {
            try CurlTransport().send(HTTPRequest(method: "PUT", url: moto.endpoint.appendingPathComponent("x/y"),
                                                 body: .file(path: "/nonexistent/runbook-body", offset: 0, length: 10)))
        } throws: { "\($0)".contains("/nonexistent/runbook-body") }
    }
}
