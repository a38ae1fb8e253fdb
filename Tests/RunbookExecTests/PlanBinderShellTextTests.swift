import Testing
@testable import RunbookExec

/// The binder asks the tokenizer whether a shell step reads a secret variable as `$NAME`.
@Suite("Bind: variables shell text reads")
struct PlanBinderShellTextTests {
    @Test(arguments: [
        ("psql \"$DATABASE_URL\" -c 'select 1'", true),
        ("echo $(psql $DATABASE_URL -c 'select 1')", true),
        ("psql <<EOF\n\\connect $DATABASE_URL\nEOF", true),
        // The old substring search counted each of these.
        ("echo 'set $DATABASE_URL first'", false),
        ("# needs $DATABASE_URL\necho hi", false),
        ("echo $DATABASE_URL_OLD", false),
        ("cat <<'EOF'\n$DATABASE_URL\nEOF", false),
        ("echo ${DATABASE_URL}", false),
    ])
    func readsUnbraced(_ c: (text: String, reads: Bool)) {
        #expect(PlanBinder.readsUnbraced("DATABASE_URL", in: c.text) == c.reads)
    }
}
