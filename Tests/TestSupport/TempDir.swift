import Foundation

/// A fresh folder under the system temp dir, removed by `cleanup()`.
public struct TempDir: Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "runbook-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }
}
