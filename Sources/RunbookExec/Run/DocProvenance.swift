import AuditTrail
import Foundation
import RunbookCore
import SystemIO

/// Which version of a doc ran: the git commit that last touched it (with `-dirty` when the file
/// differs from that commit) and the SHA-256 of the bytes actually read.
public struct DocProvenance: Sendable, Equatable {
    public var commit: String?
    public var sha256: String

    public init(commit: String?, sha256: String) {
        self.commit = commit
        self.sha256 = sha256
    }

    /// Reads `path` (relative to `root`) and asks git about it; no git, no commit.
    public static func of(path: String, root: URL) -> DocProvenance {
        // The doc was found by walking the docs folder, so it is read as a regular file, as DocSet read it.
        let bytes = (try? FileReader.read(path: root.appendingPathComponent(path).path, limit: DocSet.docByteLimit,
                                          accepting: .regularFilesOnly)) ?? []
        let sha = sha256Hex(bytes)
        guard let commit = git(["log", "-1", "--format=%H", "--", path], in: root), !commit.isEmpty else {
            return DocProvenance(commit: nil, sha256: sha)
        }
        let dirty = git(["status", "--porcelain", "--", path], in: root).map { !$0.isEmpty } ?? false
        return DocProvenance(commit: commit + (dirty ? "-dirty" : ""), sha256: sha)
    }

    static func git(_ args: [String], in root: URL) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", root.path] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
