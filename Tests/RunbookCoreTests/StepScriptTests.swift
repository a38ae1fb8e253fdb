import Testing
@testable import RunbookCore

/// The model's reading of a step block (default id, default kind, parameters) goes through the
/// shell tokenizer; these are the places where the old line-and-character reading was wrong.
@Suite("Step script")
struct StepScriptTests {
    static func step(_ code: String, language: String = "bash") throws -> Step {
        let source = "# T\n\n```\(language)\n\(code)\n```\n"
        let result = DocumentParser.parse(source, path: "docs/t.md", name: "t")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return try #require(result.document.steps.first)
    }

    @Test(arguments: [
        "aws ecs describe-services --cluster ${CLUSTER} | jq '.services[] | .status'",
        "grep -E 'error|fatal' /var/log/app.log",
        "curl -s 'http://localhost:8080/health?verbose=1&format=json'",
        "echo 'a; b' && date",
        "grep -c -- '->' trace.log",
        "cat <<EOF\nrestart the service; then\nEOF",
    ])
    func operatorsInQuotesAreText(_ code: String) throws {
        // The old reading split on every `|`, `;`, `&` and `>`, quoted or not, and took here-document
        // lines for commands: each of these was `act`.
        #expect(try Self.step(code).kind == .diagnose)
    }

    /// The SQL after `psql -c` is one word now; a single SELECT still only reads.
    @Test func aSelectStillOnlyReads() throws {
        #expect(try Self.step("psql \"$DATABASE_URL\" -c \"SELECT count(*) FROM jobs\"").kind == .diagnose)
    }

    @Test(arguments: [
        // A `#` inside quotes hid the rest of the line from the old reading, `rm` with it.
        "echo \"\n#\" && rm -rf /tmp/cache",
        "echo $(rm -rf /tmp/cache)",
        "psql \"$DATABASE_URL\" -c 'select 1; drop table jobs'",
        // A block that does not parse is not known to be read-only.
        "echo 'never closed",
    ])
    func whatMayChangeStateIsAct(_ code: String) throws {
        #expect(try Self.step(code).kind == .act)
    }

    @Test func defaultIDsComeFromTheFirstCommand() throws {
        #expect(try Self.step("aws ecs update-service --cluster ${CLUSTER} --force-new-deployment").id == "update-service")
        #expect(try Self.step("# first a comment\n\"aws\" logs 'tail' ${LOG_GROUP}").id == "logs-tail")
        #expect(try Self.step("ENV=prod ./scripts/rollback.sh").id == "rollback")
        #expect(try Self.step("redis-cli INFO memory").id == "redis-info")
        #expect(try Self.step("$ kubectl get pods\nNAME READY\napi-1 1/1", language: "console").id == "kubectl")
        // A block that does not parse still gets its id from what comes before the problem,
        // so `runbook check` names the step as it always did.
        #expect(try Self.step("curl -s ${HEALTH_URL}\necho 'oops").id == "curl")
    }

    @Test func parametersAreWhereTheDialectPutsThem() throws {
        let code = """
            # cluster: ${CLUSTER}
            aws ecs describe-tasks --cluster "${CLUSTER}" --tasks '<task-id>'
            cat <<'SQL'
            select * from jobs where id = '<job-id>';
            SQL
            echo \\${NOT_A_PARAMETER} $(echo ${INNER})
            """
        #expect(try Self.step(code).parameters == ["CLUSTER", "task-id", "job-id", "INNER"])
    }

    /// Console output is not shell text: `<none>` in it is not a parameter.
    @Test func consoleOutputHasNoParameters() throws {
        let step = try Self.step("$ docker images ${REPO}\nREPOSITORY   TAG\n<none>       <none>", language: "console")
        #expect(step.parameters == ["REPO"])
    }
}
