import Foundation
import Testing
import TestSupport

/// docs/operations/backup-recovery.md run with `runbook exec` against a real PostgreSQL and moto S3.
@Suite("Backup and recovery sections run end to end")
struct BackupRecoveryTests {
    // MARK: - #pg-backup

    @Test func pgBackupUploadsADatedMultipartDumpOfTheDatabase() async throws {
        let p = try await BackupProject(moto: try BackupMoto.server())
        try p.seedSource()
        // Random bytes do not compress: the dump is over the 8 MiB multipart threshold (2 parts).
        try p.pg.psql("""
            CREATE TABLE attachments (id int PRIMARY KEY, body bytea NOT NULL);
            INSERT INTO attachments SELECT g, (SELECT decode(string_agg(md5(g || '-' || i || random()), ''), 'hex')
              FROM generate_series(1, 512) i) FROM generate_series(1, 1200) g;
            """, database: BackupProject.database)
        let before = utcDay()
        let r = try await p.runbook(["exec", "backup-recovery#pg-backup", "--yes"])
        let after = utcDay()
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")

        let keys = try await p.keys(prefix: "postgres/")
        let key = keys.first { $0 == "postgres/mindhit_\(before).sql.gz" || $0 == "postgres/mindhit_\(after).sql.gz" }
        #expect(key != nil, "no dated backup under postgres/: \(keys)")
        guard let key else { return }
        let etag = try await p.etag(key) ?? "(none)"
        #expect(etag.hasSuffix("-2"), "not a 2-part multipart upload: ETag \(etag)")
        #expect(r.stdout.contains("2 parts"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: p.path(String(key.dropFirst("postgres/".count)))),
                "cleanup left the local dump behind")

        try await #require(try p.download(key, to: "downloaded.sql.gz"))
        try await p.restore("downloaded.sql.gz", into: "from_backup")
        let source = try p.fingerprint(BackupProject.database)
        #expect(source.count == 4)
        #expect(try p.fingerprint("from_backup") == source)
        await #expect(try CLIRunner.run(["audit", "verify"], in: p.root, environment: p.environment).status == 0)
    }

    // MARK: - #pg-restore

    @Test func pgRestoreRestoresTheChosenBackupIntoANewOrEmptyDatabase() async throws {
        let p = try await BackupProject(moto: try BackupMoto.server())
        try p.seedSource()
        try await p.dumpSource(to: "made.sql.gz")
        try await p.upload("made.sql.gz", as: "postgres/mindhit_20261101.sql.gz")
        let source = try p.fingerprint(BackupProject.database)

        let r = try await p.runbook(["exec", "backup-recovery#pg-restore", "--yes", "--set", "backup-date=20261101",
                               "--set", "target-db=mindhit_restore_20261101"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("새 데이터베이스 mindhit_restore_20261101 를 만들었습니다"), "\(r.stdout)")
        #expect(try p.fingerprint("mindhit_restore_20261101") == source)
        #expect(try p.pg.psql("SELECT email FROM users WHERE id = 7", database: "mindhit_restore_20261101") == "user7@example.com")

        // An existing empty database is used as it is.
        try p.pg.psql("CREATE DATABASE restore_into_empty")
        let empty = try await p.runbook(["exec", "backup-recovery#pg-restore", "--yes", "--set", "backup-date=20261101",
                                   "--set", "target-db=restore_into_empty"])
        #expect(empty.status == 0, "\(empty.stdout)\(empty.stderr)")
        #expect(empty.stdout.contains("빈 데이터베이스 restore_into_empty 가 이미 있습니다"), "\(empty.stdout)")
        #expect(try p.fingerprint("restore_into_empty") == source)
    }

    @Test func pgRestoreRefusesANonEmptyDatabaseUnlessYesIsGiven() async throws {
        let p = try await BackupProject(moto: try BackupMoto.server())
        try p.seedSource()
        try await p.dumpSource(to: "made.sql.gz")
        try await p.upload("made.sql.gz", as: "postgres/mindhit_20261102.sql.gz")
        try p.pg.psql("CREATE DATABASE busy")
        try p.pg.psql("CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (42);", database: "busy")
        let args = ["exec", "backup-recovery#pg-restore", "--set", "backup-date=20261102", "--set", "target-db=busy"]

        // On a terminal, confirming each step is not consent to overwrite: that takes --yes.
        let asked = try await p.runbookOnTerminal(args)
        #expect(asked.status == 1, "\(asked.stdout)")
        #expect(asked.stdout.contains("데이터베이스 busy 가 이미 있고 비어 있지 않습니다"), "\(asked.stdout)")
        #expect(asked.stdout.contains("--yes를 주고 다시 실행하세요"), "\(asked.stdout)")
        #expect(try p.pg.psql("SELECT id FROM keep_me", database: "busy") == "42")
        #expect(try p.fingerprint("busy").count == 1, "the refused restore wrote into busy")

        let yes = try await p.runbook(args + ["--yes"])
        #expect(yes.status == 0, "\(yes.stdout)\(yes.stderr)")
        #expect(yes.stdout.contains("--yes에 따라 지우고 새로 만듭니다"), "\(yes.stdout)")
        #expect(try p.fingerprint("busy") == (try p.fingerprint(BackupProject.database)))

        // The database in service is never a restore target, --yes or not.
        let live = try await p.runbook(["exec", "backup-recovery#pg-restore", "--yes", "--set", "backup-date=20261102",
                                  "--set", "target-db=\(BackupProject.database)"])
        #expect(live.status == 1)
        #expect((live.stdout + live.stderr).contains("서비스 중인 데이터베이스입니다"), "\(live.stdout + live.stderr)")
        #expect(try p.pg.psql("SELECT count(*) FROM users", database: BackupProject.database) == "120")
    }

    // MARK: - #restore-drill

    @Test func restoreDrillPassesOnAGoodBackupAndDropsItsScratchDatabase() async throws {
        let p = try await BackupProject(moto: try BackupMoto.server())
        try p.seedSource()
        let r = try await p.runbook(["exec", "backup-recovery#restore-drill", "--yes"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("SHA-256이 덤프와 같음"), "\(r.stdout)")
        #expect(r.stdout.contains("복원 시간: "), "\(r.stdout)")
        #expect(r.stdout.contains("테이블 3개 비교, 불일치 0개"), "\(r.stdout)")
        #expect(r.stdout.contains("결과: 통과"), "\(r.stdout)")
        await #expect(try p.keys(prefix: "drill/") == ["drill/drill_mindhit.sql.gz"])
        #expect(try p.databases() == [BackupProject.database, "postgres"], "the scratch database was left behind")
        #expect(!FileManager.default.fileExists(atPath: p.path("drill_mindhit.sql.gz")), "drill-cleanup did not run")
    }

    @Test func restoreDrillDetectsAByteFlippedInTheStoredBackup() async throws {
        let p = try await BackupProject(moto: try BackupMoto.server())
        try p.seedSource()
        let first = try await p.runbook(["exec", "backup-recovery#restore-drill", "--yes", "--only", "drill-dump", "--only", "drill-upload"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        try await #require(try p.download("drill/drill_mindhit.sql.gz", to: "stored.sql.gz"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: p.path("stored.sql.gz")))
        bytes[bytes.count / 2] ^= 0x5a
        try bytes.write(to: URL(fileURLWithPath: p.path("stored.sql.gz")))
        try await p.upload("stored.sql.gz", as: "drill/drill_mindhit.sql.gz")

        let second = try await p.runbook(["exec", "backup-recovery#restore-drill", "--yes", "--from", "drill-download"])
        let all = second.stdout + second.stderr
        #expect(second.status == 1, "\(all)")
        #expect(all.contains("백업 파일이 덤프한 파일과 다릅니다 (SHA-256 불일치"), "\(all)")
        #expect(all.contains("백업 파일이 손상되었습니다 (gzip 검사 실패)"), "\(all)")
        #expect(try p.databases() == [BackupProject.database, "postgres"])
        #expect(FileManager.default.fileExists(atPath: p.path("drill_mindhit.restored.sql.gz")), "the bad file is kept for investigation")
    }

    @Test func restoreDrillDetectsATableMissingFromTheBackup() async throws {
        let p = try await BackupProject(moto: try BackupMoto.server())
        try p.seedSource()
        let first = try await p.runbook(["exec", "backup-recovery#restore-drill", "--yes", "--only", "drill-dump", "--only", "drill-upload"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        // The stored backup lacks a table the database had when the drill dumped it.
        try await p.dumpSource(to: "partial.sql.gz", extra: ["--no-owner", "--no-privileges", "--exclude-table=public.audit_notes"])
        try await p.upload("partial.sql.gz", as: "drill/drill_mindhit.sql.gz")

        let second = try await p.runbook(["exec", "backup-recovery#restore-drill", "--yes", "--from", "drill-download"])
        let all = second.stdout + second.stderr
        #expect(second.status == 1, "\(all)")
        #expect(all.contains("복원되지 않은 테이블: public.audit_notes"), "\(all)")
        #expect(all.contains("결과: 실패"), "\(all)")
        #expect(try p.databases() == [BackupProject.database, "postgres"])
    }
}
