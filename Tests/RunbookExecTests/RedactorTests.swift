import Foundation
import Testing
import TestSupport
@testable import RunbookExec
@testable import RunbookCore

@Suite("Redactor and shell parameters")
struct RedactorTests {
    @Test func masksKnownValuesAndSecretShapes() {
        var r = Redactor.forEnvironment(["AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "HOME": "/root",
                                         "MY_API_TOKEN": "tok-123456"], config: nil)
        r.add(["hunter22"])
        let text = """
        key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY id AKIAIOSFODNN7EXAMPLE token tok-123456 pw hunter22
        postgres://app:s3cr3t-pass@db.internal:5432/app https://hooks.slack.com/services/T00/B00/XXXXYYYY
        aws_session_token = FwoGZXIvYXdzEBYaDEXAMPLETOKEN {"SecretAccessKey": "abc/def", "SessionToken": "zzz"} PGPASSWORD=opensesame
        home is /root
        """
        let out = r.redact(text)
        for secret in ["wJalrXUtnFEMI", "AKIAIOSFODNN7EXAMPLE", "tok-123456", "hunter22", "s3cr3t-pass", "XXXXYYYY", "FwoGZXIvYXdzEBYaDEXAMPLETOKEN",
                       "abc/def", "zzz", "opensesame"] {
            #expect(!out.contains(secret), "\(secret) was not masked")
        }
        #expect(out.contains("home is /root"), "values of non-secret variables stay")
        #expect(out.contains("postgres://app:[redacted]@db.internal:5432/app"))
    }

    @Test func secretParameterNames() {
        #expect(ParameterName.isSecret("DB_PASSWORD"))
        #expect(ParameterName.isSecret("api-token"))
        #expect(ParameterName.isSecret("SIGNING_KEY"))
        #expect(!ParameterName.isSecret("CLUSTER"))
        #expect(!ParameterName.isSecret("task-id"))
    }

    @Test func parametersReachBashAsData() throws {
        #expect(try ShellParameterRewriter.rewrite("echo ${CLUSTER} \"in ${SERVICE}\" 'lit <task-id>'")
            == "echo \"${RUNBOOK_PARAM_CLUSTER}\" \"in ${RUNBOOK_PARAM_SERVICE}\" 'lit '\"${RUNBOOK_PARAM_TASK_ID}\"''")
    }

    @Test func hostileValuesDoNotRunAsShell() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let hostile = "x\"; touch \(dir.file("pwned")); echo \"$(touch \(dir.file("pwned2")))"
        let capture = Capture()
        let code = try await execFixture(.make("drills#shell", yes: true, sets: [("SERVICE", hostile), ("MARKER_FILE", dir.file("m"))]), dir: dir, capture: capture)
        #expect(code == 0)
        #expect(capture.stdout.contains("[hello] hello from \(hostile)\n"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("pwned")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("pwned2")))
    }
}
