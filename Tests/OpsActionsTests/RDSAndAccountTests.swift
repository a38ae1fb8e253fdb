import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("RDS status and the STS account binding against moto")
struct RDSAndAccountTests {
    let moto: MotoServer

    init() throws { moto = try OpsMoto.server() }

    var rds: RDSClient { RDSClient(settings: moto.settings()) }

    func createInstance(_ id: String) throws { try moto.createDBInstance(id) }

    @Test("describe shows status, engine and version, class, storage, endpoint, Multi-AZ and backups")
    func describe() throws {
        let id = "pg-\(UUID().uuidString.prefix(8).lowercased())"
        try createInstance(id)
        let s = try rds.describeDBInstance(id)
        #expect(s.identifier == id)
        #expect(s.status == "available")
        #expect(s.isServing)
        #expect(s.engine == "postgres")
        #expect(s.engineVersion == "15.4")
        #expect(s.instanceClass == "db.t3.medium")
        #expect(s.allocatedStorageGiB == 50)
        #expect(s.multiAZ)
        #expect(s.backupRetentionDays == 7)
        #expect(s.endpointAddress?.contains(id) == true)
        #expect(s.endpointPort == 5432)
        let rows = Dictionary(uniqueKeysWithValues: s.report.map { ($0.label, $0.value) })
        #expect(rows["engine"] == "postgres 15.4")
        #expect(rows["storage"] == "50 GiB (gp3)")
        #expect(rows["multi-az"] == "yes")
        #expect(rows["backups"] == "kept 7 days")
    }

    @Test("an unknown instance is an error naming it")
    func unknown() throws {
        #expect { try rds.describeDBInstance("no-such-db") } throws: { e in
            "\(e)".contains("RDS instance no-such-db not found in ap-northeast-2")
        }
    }

    @Test("GetCallerIdentity gives the account and ARN; the environment's own account passes")
    func identity() throws {
        let binding = AccountBinding(sts: STSClient(settings: moto.settings()))
        let id = try binding.verify(expectedAccount: "123456789012", environment: "staging")
        #expect(id.account == "123456789012")
        #expect(id.arn.hasPrefix("arn:aws:sts::123456789012:") || id.arn.hasPrefix("arn:aws:iam::123456789012:"))
    }

    @Test("another account is an error naming both accounts; nothing else is sent")
    func mismatch() throws {
        let binding = AccountBinding(sts: STSClient(settings: moto.settings()))
        #expect { try binding.verify(expectedAccount: "210987654321", environment: "production") } throws: { e in
            let text = "\(e)"
            return text.contains("environment production is account 210987654321")
                && text.contains("the credentials are account 123456789012")
        }
    }
}
