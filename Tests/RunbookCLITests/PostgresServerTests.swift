import Foundation
import Testing
import TestSupport

@Suite struct PostgresServerTests {
    @Test func startsQueriesAndStops() throws {
        let pg = try PostgresServer()
        try pg.psql("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2);")
        #expect(try pg.psql("SELECT count(*) FROM t") == "2")
        let dir = pg.directory
        pg.stop()
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }
}
