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
        #expect(!ParameterName.isSecret("key-pattern"), "a Redis key glob is not a secret: reviewers must read what UNLINK deleted")
        #expect(!ParameterName.isSecret("SIGNING_KEY"), "KEY alone says nothing; runbook.toml's secret list does")
        #expect(!ParameterName.isSecret("CLUSTER"))
        #expect(!ParameterName.isSecret("task-id"))
        var env = EnvironmentConfig(name: "t")
        env.secretParameters = ["signing_key"]
        #expect(env.isSecretParameter("SIGNING_KEY"))
        #expect(env.isSecretParameter("signing-key"))
        #expect(!env.isSecretParameter("key-pattern"))
    }

    @Test("a multi-line secret (a PEM key) is masked whole and line by line; short values are not masked")
    func multiLineSecrets() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7canaryPEMline\n-----END PRIVATE KEY-----"
        let r = Redactor.forEnvironment(["TLS_PRIVATE_KEY_SECRET": pem, "SHORT_TOKEN": "abc"], config: nil)
        #expect(!r.redact("key: \(pem)").contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
        for line in pem.split(separator: "\n") where line.hasPrefix("MII") || line.hasPrefix("BKc") {
            #expect(r.redact("[step] \(line)") == "[step] \(Redactor.mask)", "each line alone, as output streams it")
        }
        #expect(r.redact("abc def") == "abc def", "values shorter than \(Redactor.minimumSecretLength) characters are not masked")
    }

    @Test("a 1 MB line: every secret in it masked, the rest intact, in one linear pass")
    func oneMegabyteLine() {
        var r = Redactor(secrets: ["canary-secret-value"])
        r.add(["another-canary-42"])
        let filler = String(repeating: "abcdefghij", count: 33_000)
        let line = "canary-secret-value " + filler + " postgres://u:pw-in-url@db/x " + filler + "AKIAIOSFODNN7EXAMPLE" + filler
            + " token=tok0 another-canary-42"
        let out = r.redact(line)
        for secret in ["canary-secret-value", "pw-in-url", "AKIAIOSFODNN7EXAMPLE", "tok0", "another-canary-42"] {
            #expect(!out.contains(secret), "\(secret) was not masked")
        }
        #expect(out.count == line.count - 19 - 9 - 20 - 4 - 17 + 5 * Redactor.mask.count)
        // Adversarial shapes repeated a million times stay linear and leave the text as it is.
        let tricky = String(repeating: "a:", count: 250_000) + String(repeating: "://", count: 100_000) + String(repeating: "AKIA ", count: 50_000) + String(repeating: "password", count: 50_000)
        #expect(r.redact(tricky) == tricky)
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
