import Foundation
import RunbookCore
import SystemIO

/// Lets a build with nothing to do stop after reading its inputs, without parsing or rendering.
///
/// After each build it records, outside the site folder (in `$XDG_CACHE_HOME/runbook` or
/// `~/.cache/runbook`, so the site itself stays byte-for-byte what the docs say), a fingerprint
/// of everything the build read (the runbook binary, the config, every doc, the theme folder)
/// and the size and modification time of every file it left in the site. The next build is a
/// no-op only when the fingerprint is the same and every site file is still exactly as left;
/// anything else (an edited doc, a touched or deleted page, an extra file) means a full build.
/// `runbook build --check` never uses it: it always renders and compares bytes.
public struct SiteBuildCache: Sendable {
    /// The fingerprint of a build's inputs.
    public struct Inputs: Sendable, Equatable {
        public let fingerprint: String
    }

    let manifest: URL
    let outDir: URL

    /// The cache entry for a site folder, or nil when there is no cache folder (no `HOME`).
    public init?(outDir: URL) {
        let env = ProcessInfo.processInfo.environment
        let base: URL
        if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg)
        } else if let home = env["HOME"], home.hasPrefix("/") {
            base = URL(fileURLWithPath: home).appendingPathComponent(".cache")
        } else {
            return nil
        }
        let absolute = outDir.standardizedFileURL.path
        self.outDir = URL(fileURLWithPath: absolute)
        manifest = base.appendingPathComponent("runbook").appendingPathComponent("site-\(Self.hex(Self.fnv1a(Array(absolute.utf8)))).manifest")
    }

    /// Reads every input of a build of `configPath`; nil when one cannot be read (then: no shortcut).
    ///
    /// Regular files only: a runbook.toml given as a FIFO or `/dev/fd/N` is never opened here (the
    /// build reads it once), and a FIFO in the docs or theme folder is never waited on.
    public static func inputs(configPath: String) -> Inputs? {
        let configURL = URL(fileURLWithPath: configPath)
        guard let configBytes = SiteWriter.read(configURL.path, limit: FileReader.defaultLimit),
              let config = try? RunbookConfig.parse(String(decoding: configBytes, as: UTF8.self), path: configPath) else { return nil }
        let root = configURL.deletingLastPathComponent()
        var lines = ["runbook-site-cache 1", "exe \(stamp("/proc/self/exe"))", "config \(configURL.standardizedFileURL.path) \(hex(fnv1a(configBytes)))"]
        // A doc the build would refuse (a link out of the folder) means no shortcut: the build reports it.
        guard let docs = FolderListing.walk(root.appendingPathComponent(config.site.docs).path, including: DocSet.isDoc),
              docs.refusals.allSatisfy({ if case .repeated = $0 { true } else { false } }) else { return nil }
        for file in docs.sortedFiles {
            guard let bytes = SiteWriter.read(file.realPath, limit: DocSet.docByteLimit) else { return nil }
            lines.append("doc \(file.path) \(bytes.count) \(hex(fnv1a(bytes)))")
        }
        if let theme = config.site.theme, !theme.isEmpty {
            let themeURL = theme.hasPrefix("/") ? URL(fileURLWithPath: theme) : root.appendingPathComponent(theme)
            // The files the build reads, as it finds them (links inside the folder followed).
            guard let listing = FolderListing.walk(themeURL.path, including: { _ in true }), listing.refusals.isEmpty else { return nil }
            for file in listing.sortedFiles {
                guard let bytes = SiteWriter.read(file.realPath, limit: Theme.fileByteLimit) else { return nil }
                lines.append("theme \(file.path) \(bytes.count) \(hex(fnv1a(bytes)))")
            }
        }
        return Inputs(fingerprint: hex(fnv1a(Array(lines.joined(separator: "\n").utf8))))
    }

    /// Whether the site folder is exactly as the last build with these inputs left it.
    public func isUpToDate(_ inputs: Inputs) -> Bool { upToDateFileCount(inputs) != nil }

    /// The number of files in the site folder when it is exactly as the last build with these
    /// inputs left it (the marker file included), else nil.
    public func upToDateFileCount(_ inputs: Inputs) -> Int? {
        guard let bytes = SiteWriter.read(manifest.path, limit: FileReader.defaultLimit) else { return nil }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == "inputs \(inputs.fingerprint)" else { return nil }
        lines.removeFirst()
        let existing = SiteWriter(outDir: outDir).existingFiles()
        guard existing.count == lines.count, existing.contains(SiteWriter.marker) else { return nil }
        for line in lines {
            guard let space = line.firstIndex(of: " ") else { return nil }
            let path = String(line[line.index(after: space)...])
            guard existing.contains(path), line[..<space] == Self.stamp(outDir.appendingPathComponent(path).path) else { return nil }
        }
        return lines.count
    }

    /// Records the inputs and the state of every file in the site folder after a build.
    public func record(_ inputs: Inputs) {
        var text = "inputs \(inputs.fingerprint)\n"
        for path in SiteWriter(outDir: outDir).existingFiles().sorted() {
            text += "\(Self.stamp(outDir.appendingPathComponent(path).path)) \(path)\n"
        }
        let folder = manifest.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tmp = manifest.path + ".tmp-\(getpid())"
        guard (try? SiteWriter.writeFile(tmp, Array(text.utf8), path: tmp)) != nil else { return }
        if rename(tmp, manifest.path) != 0 { unlink(tmp) }
    }

    /// Forgets the last build (a failed or partial build must not be taken as up to date).
    public func invalidate() {
        unlink(manifest.path)
    }

    /// `size:mtime` of a file (following symlinks), or `-`.
    static func stamp(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "-" }
        return "\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    /// 64-bit FNV-1a: enough to notice a change (not a security boundary: the inputs are the user's own files).
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
