import Foundation
import Testing

/// The read-only conformance data in `../shared/conformance` (see its README).
public enum Conformance {
    /// The folder, found from the package root or an explicit `RUNBOOK_CONFORMANCE_DIR`.
    public static var directory: URL? {
        if let dir = ProcessInfo.processInfo.environment["RUNBOOK_CONFORMANCE_DIR"] { return URL(fileURLWithPath: dir) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared/conformance")
        return FileManager.default.fileExists(atPath: dir.path) ? dir : nil
    }

    /// The file's URL; records a test failure when the data is missing.
    public static func url(_ name: String) -> URL? {
        guard let dir = directory, FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) else {
            Issue.record("conformance data '\(name)' not found: expected ../shared/conformance beside the checkout (or RUNBOOK_CONFORMANCE_DIR)")
            return nil
        }
        return dir.appendingPathComponent(name)
    }
}
