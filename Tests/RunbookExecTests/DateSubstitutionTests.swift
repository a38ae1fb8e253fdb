import RunbookCore
import Foundation
import Testing
@testable import RunbookExec

/// `$(date -u +FORMAT)` / `$(date +FORMAT)`: evaluated once per run at bind time, so the backup
/// doc's `aws s3 cp ${DATABASE}_$(date -u +%Y%m%d).sql.gz s3://...` stays native and every step
/// of a run names the same file.
@Suite("Date substitutions")
struct DateSubstitutionTests {
    /// 2026-11-27 23:59:59 UTC: one second before midnight, where per-step evaluation would drift.
    static let start = Date(timeIntervalSince1970: 1_795_823_999)

    @Test func formatsLikeDate() throws {
        #expect(DateSubstitution.parse("$(date -u +%Y%m%d)")?.value(at: Self.start) == "20261127")
        #expect(DateSubstitution.parse("$(date -u '+%Y-%m-%dT%H:%M:%SZ')")?.value(at: Self.start) == "2026-11-27T23:59:59Z")
        #expect(DateSubstitution.parse("$(date --utc +\"%F\")")?.value(at: Self.start) == "2026-11-27")
        #expect(DateSubstitution.parse("$(date +%Y)")?.utc == false)
    }

    @Test(arguments: ["$(date)", "$(date -d yesterday +%F)", "$(date +%c)", "$(date -u +'%Y %m')", "$(whoami)", "$(date -u +%Y$(id -u))"])
    func othersStayWithBash(_ written: String) {
        #expect(DateSubstitution.parse(written) == nil)
    }

    @Test func shellTextGetsTheValueExceptInSingleQuotes() throws {
        let text = #"echo "${DATABASE}_$(date -u +%Y%m%d)" '$(date -u +%Y)' \$(date +%Y) $(date -u +%Y)"#
        #expect(DateSubstitution.substitute(in: try ShellWords.parse(text), at: Self.start)
            == #"echo "${DATABASE}_20261127" '$(date -u +%Y)' \$(date +%Y) 2026"#)
    }

    /// The old scanner tracked quotes but not comments or here-documents: an apostrophe in a
    /// comment hid every later date from it, and a quoted here-document's text was changed.
    @Test func commentsAndHereDocumentsAreReadAsBashReadsThem() throws {
        let text = """
            # don't forget the date
            aws s3 ls s3://backups/$(date -u +%Y)/
            cat <<'EOF'
            $(date -u +%Y) stays as written
            EOF
            cat <<EOF
            it's $(date -u +%Y) here
            EOF
            echo "$(echo $(date -u +%Y))"
            """
        #expect(DateSubstitution.substitute(in: try ShellWords.parse(text), at: Self.start) == """
            # don't forget the date
            aws s3 ls s3://backups/2026/
            cat <<'EOF'
            $(date -u +%Y) stays as written
            EOF
            cat <<EOF
            it's 2026 here
            EOF
            echo "$(echo 2026)"
            """)
    }

    @Test func formatMayBeQuotedAnyWayBashAllows() {
        #expect(DateSubstitution.parse("$(date -u +%Y'%m'\"%d\")")?.value(at: Self.start) == "20261127")
        #expect(DateSubstitution.parse("$( date  -u  +%F )")?.value(at: Self.start) == "2026-11-27")
        #expect(DateSubstitution.parse("$(date -u +%F; rm x)") == nil)
        #expect(DateSubstitution.parse("$(date -u +%F > x)") == nil)
        #expect(DateSubstitution.parse("$(date -u +%F ${X})") == nil)
    }

    @Test func uploadWithADatedKeyPlansNative() throws {
        let plan = try SectionPlanner.plan(step: makeStep("aws s3 cp ${DATABASE}_$(date -u +%Y%m%d).sql.gz s3://${BACKUP_BUCKET}/postgres/${DATABASE}_$(date -u +%Y%m%d).sql.gz"))
        guard case .native(let action) = try #require(plan.commands.first).action else {
            Issue.record("planned as shell: \(plan.commands.first?.reason ?? "")")
            return
        }
        #expect(action.name == "s3.upload")
    }

    @Test(arguments: ["aws s3 cp $(date).gz s3://b/x.gz", "aws s3 cp $(whoami).gz s3://b/x.gz"])
    func otherSubstitutionsStayShell(_ line: String) throws {
        let command = try #require(try SectionPlanner.plan(step: makeStep(line)).commands.first)
        #expect(!command.isNative)
        #expect(command.reason?.contains("needs shell expansion") == true)
    }

    @Test func everyStepOfARunGetsTheRunStartDate() async throws {
        let config = try RunbookConfig.parse("""
            [site]
            title = "t"
            docs = "docs"

            [env.staging]
            region = "ap-northeast-2"
            database = "mindhit"
            backup_bucket = "mindhit-backups"
            """)
        let dump = makeStep("pg_dump \"$DATABASE_URL\" | gzip > ${DATABASE}_$(date -u +%Y%m%d).sql.gz", id: "dump", kind: .act)
        let upload = makeStep("aws s3 cp ${DATABASE}_$(date -u +%Y%m%d).sql.gz s3://${BACKUP_BUCKET}/postgres/${DATABASE}_$(date -u +%Y%m%d).sql.gz",
                              id: "upload", kind: .act)
        let section = SectionPlan(docPath: "docs/b.md", docName: "b", sectionID: "pg-backup", title: "backup",
                                  steps: [try SectionPlanner.plan(step: dump), try SectionPlanner.plan(step: upload)])
        let binder = PlanBinder(config: config, environment: try config.environment("staging"), now: Self.start)
        let bound = try await binder.bind(section, selection: ["dump", "upload"], resolve: false)
        guard case .shell(let script, let display) = try #require(bound.steps.first?.commands.first).action else {
            Issue.record("dump is not a shell step")
            return
        }
        #expect(script.hasSuffix("_20261127.sql.gz"))
        #expect(!script.contains("$(date"))
        #expect(display == "pg_dump \"$DATABASE_URL\" | gzip > mindhit_20261127.sql.gz")
        guard case .native(.s3Upload(let file, let bucket, let key, _)) = try #require(bound.steps.last?.commands.first).action else {
            Issue.record("upload is not native")
            return
        }
        #expect(file == "mindhit_20261127.sql.gz")
        #expect(bucket == "mindhit-backups")
        #expect(key == "postgres/mindhit_20261127.sql.gz")
    }
}
