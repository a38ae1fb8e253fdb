import Foundation
import TestSupport

/// A throwaway copy of the project (the team's docs and the scripts their steps call) whose env
/// `test` points at a moto server and a PostgreSQL server on loopback, with the source database
/// `mindhit` and a bucket of its own.
final class BackupProject {
    let root: URL
    let pg: PostgresServer
    let moto: MotoServer
    let bucket: String

    /// The database the service "uses": the one `$DATABASE_URL` points at.
    static let database = "mindhit"

    init(moto: MotoServer) async throws {
        self.moto = moto
        pg = try PostgresServer()
        bucket = "backups-\(UUID().uuidString.prefix(8).lowercased())"
        root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-backup-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("docs/operations"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        let repo = CLIRunner.repoRoot
        for doc in try fm.contentsOfDirectory(atPath: repo.appendingPathComponent("docs/operations").path) where doc.hasSuffix(".md") {
            try fm.copyItem(at: repo.appendingPathComponent("docs/operations/\(doc)"), to: root.appendingPathComponent("docs/operations/\(doc)"))
        }
        for script in ["restore-drill.sh", "restore-target.sh", "rollback.sh"] {
            try fm.copyItem(at: repo.appendingPathComponent("scripts/\(script)"), to: root.appendingPathComponent("scripts/\(script)"))
        }
        try Data("""
            [site]
            title = "backup test"
            docs = "docs/operations"

            [env.test]
            region = "ap-northeast-2"
            aws_account = "123456789012"
            database = "\(Self.database)"
            database_url_env = "TEST_DATABASE_URL"
            backup_bucket = "\(bucket)"

            """.utf8).write(to: root.appendingPathComponent("runbook.toml"))
        try await curl(["-X", "PUT", "-H", "Content-Type: application/xml", "--data-binary",
                  "<CreateBucketConfiguration><LocationConstraint>ap-northeast-2</LocationConstraint></CreateBucketConfiguration>",
                  objectURL("")])
        try pg.psql("CREATE DATABASE \(Self.database)")
    }

    deinit {
        pg.stop()
        try? FileManager.default.removeItem(at: root)
    }

    var environment: [String: String] {
        ["AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
         "AWS_SECRET_ACCESS_KEY": "moto-fake-secret", "AWS_SHARED_CREDENTIALS_FILE": path("no-credentials"),
         "AWS_CONFIG_FILE": path("no-config"), "TEST_DATABASE_URL": pg.url(database: Self.database),
         "RUNBOOK_AUDIT_LOG": path("audit.jsonl"), "RUNBOOK_STATE_DIR": path("state")]
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// `runbook ARGS --env test` in the project, without a terminal.
    func runbook(_ args: [String]) async throws -> CLIRunner.Result {
        try await CLIRunner.run(args + ["--env", "test"], in: root, environment: environment)
    }

    /// `runbook ARGS --env test` on a terminal where the operator answers `y` to every question.
    func runbookOnTerminal(_ args: [String]) async throws -> CLIRunner.Result {
        let script = """
            import os, pty, select, sys
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            out, pending = b"", b""
            while True:
                ready, _, _ = select.select([fd], [], [], 300)
                if not ready:
                    break
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                pending += chunk
                if b"[y/N]" in pending:
                    os.write(fd, b"y\\n")
                    pending = b""
            _, status = os.waitpid(pid, 0)
            sys.stdout.buffer.write(out)
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        let r = try await ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, CLIRunner.binary.path] + args + ["--env", "test"],
                                      environment: environment, directory: root)
        return CLIRunner.Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    // MARK: - PostgreSQL

    /// Tables with rows in the source database: users, orders (referencing users), audit_notes.
    func seedSource() throws {
        try pg.psql("""
            CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL);
            CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users, amount numeric(10,2), note text);
            CREATE TABLE audit_notes (id serial PRIMARY KEY, body text NOT NULL);
            INSERT INTO users SELECT g, 'user' || g || '@example.com', timestamptz '2026-11-01 00:00:00+00' + g * interval '1 hour'
              FROM generate_series(1, 120) g;
            INSERT INTO orders SELECT g, 1 + g % 120, (g * 7 % 1000) / 10.0, '주문 ' || g FROM generate_series(1, 900) g;
            INSERT INTO audit_notes (body) SELECT '메모 ' || g FROM generate_series(1, 30) g;
            """, database: Self.database)
    }

    /// Row count and an order-independent checksum of every table of `database`: "table count md5".
    func fingerprint(_ database: String) throws -> [String] {
        let tables = try pg.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", database: database)
            .split(separator: "\n").map(String.init)
        return try tables.map { t in
            try pg.psql("SELECT '\(t)' || ' ' || count(*) || ' ' || coalesce(md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))), '-') FROM \(t) x",
                        database: database)
        }
    }

    func databases() throws -> [String] {
        try pg.psql("SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1").split(separator: "\n").map(String.init)
    }

    /// A plain `pg_dump` of the source database, gzipped, at `relative` in the project.
    func dumpSource(to relative: String, extra: [String] = []) async throws {
        try await shell("pg_dump \(extra.joined(separator: " ")) '\(pg.url(database: Self.database))' | gzip > '\(path(relative))'")
    }

    /// Restores a gzipped dump (a file in the project) into a new database.
    func restore(_ relative: String, into database: String) async throws {
        try pg.psql("CREATE DATABASE \(database)")
        try await shell("gunzip -c '\(path(relative))' | psql -X -q -o /dev/null -v ON_ERROR_STOP=1 '\(pg.url(database: database))'")
    }

    // MARK: - S3 in moto

    /// moto refuses anonymous reads of private objects: curl signs the requests (with the fake keys).
    private var signed: [String] { ["--aws-sigv4", "aws:amz:ap-northeast-2:s3", "--user", "AKIDEXAMPLE:moto-fake-secret"] }

    func objectURL(_ key: String) -> String { "\(moto.endpoint.absoluteString)/\(bucket)/\(key)" }

    /// Downloads an object to `relative` in the project; false when there is no such object.
    func download(_ key: String, to relative: String) async throws -> Bool {
        let code = try await curlStatus(["-o", path(relative), objectURL(key)])
        return code == "200"
    }

    func upload(_ relative: String, as key: String) async throws {
        // A form content type (curl's default) makes moto's server read the body as a form and hang.
        try await curl(["-X", "PUT", "-H", "Content-Type: application/octet-stream", "-H", "Expect:", "--data-binary", "@" + path(relative),
                  objectURL(key)])
    }

    /// The object's ETag (a multipart upload's ends in `-PARTS`).
    func etag(_ key: String) async throws -> String? {
        let r = try await ProcessRunner.run("/usr/bin/curl", signed + ["-sSf", "--max-time", "30", "-I", objectURL(key)])
        return r.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix("etag:") }
            .map { $0.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
    }

    /// Keys under `prefix`.
    func keys(prefix: String) async throws -> [String] {
        let r = try await ProcessRunner.run("/usr/bin/curl", signed + ["-sSf", "--max-time", "30", objectURL("") + "?list-type=2&prefix=\(prefix)"])
        return r.stdout.components(separatedBy: "<Key>").dropFirst().compactMap { $0.components(separatedBy: "</Key>").first }
    }

    // MARK: - processes

    @discardableResult
    func shell(_ command: String) async throws -> String {
        let r = try await ProcessRunner.run("/bin/bash", ["-c", "set -euo pipefail; " + command])
        guard r.status == 0 else { throw TestSupportError("\(command) failed (\(r.status)): \(r.stderr)") }
        return r.stdout
    }

    private func curl(_ args: [String]) async throws {
        let r = try await ProcessRunner.run("/usr/bin/curl", signed + ["-sSf", "--max-time", "60", "-o", "/dev/null"] + args)
        guard r.status == 0 else { throw TestSupportError("curl \(args.joined(separator: " ")) failed: \(r.stderr)") }
    }

    private func curlStatus(_ args: [String]) async throws -> String {
        try await ProcessRunner.run("/usr/bin/curl", signed + ["-sS", "--max-time", "60", "-w", "%{http_code}"] + args).stdout
    }
}

/// The moto server the backup suites share (each test has its own bucket).
enum BackupMoto {
    static let shared: Result<MotoServer, any Error> = Result { try MotoServer() }

    static func server() throws -> MotoServer { try shared.get() }
}

/// Today's date in UTC as the docs' `$(date -u +%Y%m%d)` writes it.
func utcDay(_ date: Date = Date()) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyyMMdd"
    return f.string(from: date)
}
