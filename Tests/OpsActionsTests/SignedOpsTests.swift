import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Logs, RDS and S3 signatures checked by moto with authentication on")
struct SignedOpsTests {
    @Test("the right key signs Logs, RDS and S3 (multipart, a key with spaces, download) requests moto accepts")
    func rightKey() throws {
        let a = try AuthMoto.shared.get()
        let settings = a.moto.settings(accessKeyID: a.keyID, secret: a.secret)
        // Signed right, these reach the service and get its own "not found", not an authentication error.
        #expect { try LogsClient(settings: settings).filterLogEvents(group: "/signed/none", start: Date()) } throws: { e in
            if case .logGroupNotFound = e as? LogsError { return true }
            return false
        }
        #expect { try RDSClient(settings: settings).describeDBInstance("signed-none") } throws: { "\($0)".contains("not found") }

        let s3 = S3Client(settings: settings)
        let bucket = "signed-\(UUID().uuidString.prefix(8).lowercased())"
        try s3.createBucket(bucket)
        let dir = try ScratchDirectory()
        let file = dir.path("dump.bin")
        try TestFiles.make(file, size: 11 * 1024 * 1024 + 7)
        // moto re-derives the path from werkzeug's URL, which leaves ( ) + = and non-ASCII unescaped, so
        // with auth on it rejects such keys from any client (the AWS CLI too); spaces and slashes it checks.
        // Unicode keys are covered with auth off in S3TransferTests.
        let location = S3Location(bucket: bucket, key: "backups/2026 11 27/dump full v2.bin")
        let result = try S3Transfer(client: s3, partSize: 5 * 1024 * 1024).upload(file: file, to: location)
        #expect(result.parts == 3)
        let back = dir.path("back.bin")
        try S3Transfer(client: s3).download(location, to: back)
        #expect(try TestFiles.sameBytes(file, back))
        #expect(try s3.listMultipartUploads(bucket: bucket).isEmpty)
    }

    @Test("a wrong secret is refused by S3 as an authentication failure")
    func wrongSecret() throws {
        let a = try AuthMoto.shared.get()
        let settings = a.moto.settings(accessKeyID: a.keyID, secret: "wrong-secret-for-test")
        #expect { try S3Client(settings: settings).listMultipartUploads(bucket: "any-bucket") } throws: { e in
            guard case .aws(let aws) = e as? S3Error else { return false }
            return aws.isAuthenticationFailure
        }
    }
}
