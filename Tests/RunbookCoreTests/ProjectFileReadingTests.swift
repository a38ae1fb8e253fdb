import Foundation
import RunbookCore
import Testing
import TestSupport

@Suite("runbook.toml and docs: a config named by the user is read whatever it is; a docs folder walk reads regular files only")
struct ProjectFileReadingTests {
    static let config = "[site]\ntitle = \"Ops\"\ndocs = \"docs\"\n\n[env.prod]\nregion = \"ap-northeast-2\"\n"

    /// A project folder with `runbook.toml` (unless `config` is nil) and `docs/` holding `docs`.
    func project(config: String? = Self.config, docs: [String: String] = ["a.md": "# A\n"]) throws -> TempDir {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("docs"), withIntermediateDirectories: true)
        if let config { try Data(config.utf8).write(to: URL(fileURLWithPath: dir.file("runbook.toml"))) }
        for (name, text) in docs { try Data(text.utf8).write(to: URL(fileURLWithPath: dir.file("docs/" + name))) }
        return dir
    }

    func loadError(_ path: String, missingHint: String? = nil) -> String? {
        do {
            if let missingHint {
                _ = try RunbookConfig.load(path: path, missingHint: missingHint)
            } else {
                _ = try RunbookConfig.load(path: path)
            }
            Issue.record("loaded \(path) instead of failing")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("runbook.toml given as a FIFO is read once, and the docs beside it load")
    func configFIFO() throws {
        let dir = try project(config: nil)
        defer { dir.cleanup() }
        let writer = try FIFOWriter(path: dir.file("runbook.toml"), text: Self.config)
        defer { writer.stop() }
        let docSet = try DocSet.load(configPath: writer.path)
        #expect(docSet.config.site.title == "Ops")
        #expect(try docSet.config.environment("prod").region == "ap-northeast-2")
        #expect(docSet.documents.map(\.name) == ["a"])
        #expect(writer.served == 1)
    }

    @Test("a config that cannot be read says why in the system's words, and what to do")
    func unreadableConfig() throws {
        let dir = try project(config: nil)
        defer { dir.cleanup() }
        let missing = dir.file("runbook.toml")
        #expect(loadError(missing) == "\(missing): cannot read the config file (No such file or directory); run runbook from the project folder or pass --config FILE")
        #expect(loadError(missing, missingHint: "it is needed for --env prod")
            == "\(missing): cannot read the config file (No such file or directory); it is needed for --env prod")
        #expect(loadError(dir.path) == "\(dir.path): cannot read the config file (Is a directory); give the path of a file, not a folder")
        try Data([0x5B, 0x73, 0x69, 0x74, 0x65, 0x5D, 0x0A, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: missing))
        #expect(loadError(missing) == "\(missing): the config file is not UTF-8 text; save it as UTF-8")
    }

    @Test("a FIFO in the docs folder is skipped with a warning, never opened, so loading never waits on it")
    func docFIFOSkipped() throws {
        let dir = try project()
        defer { dir.cleanup() }
        let writer = try FIFOWriter(path: dir.file("docs/stray.md"), text: "# Stray\n")
        defer { writer.stop() }
        let docSet = try DocSet.load(configPath: dir.file("runbook.toml"))
        #expect(docSet.documents.map(\.name) == ["a"])
        let warning = try #require(docSet.diagnostics.first { $0.file == "docs/stray.md" })
        #expect(warning.severity == .warning)
        #expect(warning.message == "skipped: it is a FIFO (named pipe), not a regular file; docs are read only from regular files")
        #expect(writer.served == 0)
    }

    @Test("a doc over the limit is an error naming the limit; the other docs still load")
    func docTooLarge() throws {
        let dir = try project()
        defer { dir.cleanup() }
        let huge = dir.file("docs/huge.md")
        try #require(FileManager.default.createFile(atPath: huge, contents: nil))
        try #require(truncate(huge, off_t(DocSet.docByteLimit) + 1) == 0)
        let docSet = try DocSet.load(configPath: dir.file("runbook.toml"))
        #expect(docSet.documents.map(\.name) == ["a"])
        let error = try #require(docSet.errors.first { $0.file == "docs/huge.md" })
        #expect(error.message == "cannot read the doc (larger than 32 MiB, the most read from it)")
    }
    // MARK: - Symbolic links and special files

    @Test("a doc or a folder that links out of the docs folder is an error naming it and its target; it is never read")
    func linksOutsideRefused() throws {
        let dir = try project()
        defer { dir.cleanup() }
        let outside = TempDir()
        defer { outside.cleanup() }
        try Data("root:x:0:0:root:/root:/bin/bash\n".utf8).write(to: URL(fileURLWithPath: outside.file("passwd")))
        try FileManager.default.createDirectory(atPath: outside.file("more"), withIntermediateDirectories: true)
        try Data("# Elsewhere\n".utf8).write(to: URL(fileURLWithPath: outside.file("more/elsewhere.md")))
        try FileManager.default.createSymbolicLink(atPath: dir.file("docs/link.md"), withDestinationPath: outside.file("passwd"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("docs/more"), withDestinationPath: outside.file("more"))
        // A relative link that climbs out is the same thing.
        try FileManager.default.createSymbolicLink(atPath: dir.file("docs/up.md"), withDestinationPath: "../../" + (outside.path as NSString).lastPathComponent + "/passwd")

        let docSet = try DocSet.load(configPath: dir.file("runbook.toml"))
        #expect(docSet.documents.map(\.name) == ["a"])
        let errors = docSet.errors.filter { $0.code == .linkOutsideDocs }
        #expect(errors.map(\.file) == ["docs/link.md", "docs/more", "docs/up.md"])
        let realOutside = URL(fileURLWithPath: outside.path).resolvingSymlinksInPath().path
        #expect(errors[0].message.hasPrefix("is a symbolic link to \(realOutside)/passwd, outside the docs folder docs;"))
        #expect(errors[1].message.hasPrefix("is a symbolic link to \(realOutside)/more, outside the docs folder docs;"))
        #expect(DocSet.markdownFiles(in: URL(fileURLWithPath: dir.file("docs"))) == ["a.md"])
    }

    @Test("links that stay inside are followed, the docs folder may be a link, and a link back to a folder is skipped with a warning")
    func linksInsideFollowed() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("real/sub"), withIntermediateDirectories: true)
        try Data(Self.config.utf8).write(to: URL(fileURLWithPath: dir.file("runbook.toml")))
        try FileManager.default.createSymbolicLink(atPath: dir.file("docs"), withDestinationPath: "real")
        try Data("# A\n".utf8).write(to: URL(fileURLWithPath: dir.file("real/a.md")))
        try Data("# B\n".utf8).write(to: URL(fileURLWithPath: dir.file("real/sub/b.md")))
        try FileManager.default.createSymbolicLink(atPath: dir.file("real/alias.md"), withDestinationPath: "a.md")
        try FileManager.default.createSymbolicLink(atPath: dir.file("real/more"), withDestinationPath: "sub")
        try FileManager.default.createSymbolicLink(atPath: dir.file("real/sub/up"), withDestinationPath: "..")

        let docSet = try DocSet.load(configPath: dir.file("runbook.toml"))
        #expect(docSet.documents.map(\.name) == ["a", "alias", "more/b", "sub/b"])
        #expect(docSet.document(named: "alias")?.title == "A")
        #expect(docSet.errors == [])
        let warnings = docSet.diagnostics.filter { $0.code == .linkRepeated }
        #expect(warnings.map(\.file) == ["docs/more/up", "docs/sub/up"])
        #expect(warnings.allSatisfy { $0.severity == .warning && $0.message.hasPrefix("skipped: a link to the folder docs, which is read already") })
    }

    @Test("a socket in the docs folder is skipped with a warning, like a FIFO")
    func docSocketSkipped() throws {
        let dir = try project()
        defer { dir.cleanup() }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = dir.file("docs/sock.md")
        try #require(path.utf8.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        let docSet = try DocSet.load(configPath: dir.file("runbook.toml"))
        #expect(docSet.documents.map(\.name) == ["a"])
        let warning = try #require(docSet.diagnostics.first { $0.file == "docs/sock.md" })
        #expect(warning.severity == .warning)
        #expect(warning.message == "skipped: it is a socket, not a regular file; docs are read only from regular files")
    }
}
