import AuditTrail
import Foundation
import TestSupport

/// The exec fixture project shared with RunbookExecTests, and the binary under test.
enum Fixture {
    /// `Tests/RunbookExecTests/Fixtures/project/runbook.toml` in the checkout.
    static var projectConfig: String {
        RunbookExecutable.packageRoot.appendingPathComponent("Tests/RunbookExecTests/Fixtures/project/runbook.toml").path
    }

    /// The `runbook` binary this target declares, so it is always built from the current sources.
    static var binary: String { RunbookExecutable.path }
}

/// The audit log's complete records, in order.
func auditRecords(_ path: String) -> [AuditRecord] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return AuditLogEntry.parse(Array(data)).map(\.record)
}
