import Foundation

/// The `runbook` binary the tests run as an operator would.
public enum RunbookExecutable {
    /// `RUNBOOK_BIN`, else the binary built beside the test bundle, else `.build/debug/runbook`
    /// under the package root.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["RUNBOOK_BIN"] { return explicit }
        if let exe = Bundle.main.executableURL {
            let beside = exe.deletingLastPathComponent().appendingPathComponent("runbook").path
            if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        }
        return packageRoot.appendingPathComponent(".build/debug/runbook").path
    }

    /// The folder holding Package.swift.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
