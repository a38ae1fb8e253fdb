import DocGen
import RunbookCore
import Foundation
import SystemIO

/// `runbook serve`: builds the site in memory, serves it, and rebuilds when a doc, the config or
/// the theme changes (polling modification times), so open pages reload.
///
/// Nothing is written to disk: the committed `site/` is left alone.
public final class PreviewSession: @unchecked Sendable {
    public let configPath: String
    public let server = PreviewServer()
    /// Where messages go (the CLI passes a printer to stderr/stdout).
    private let log: @Sendable (String) -> Void
    private var lastFingerprint: [String] = []

    public init(configPath: String, log: @escaping @Sendable (String) -> Void) {
        self.configPath = configPath
        self.log = log
    }

    /// Builds once (throwing when the first build fails) and binds the port.
    public func start(port: UInt16) throws {
        lastFingerprint = fingerprint()
        server.publish(try build())
        try server.bind(port: port)
    }

    /// Serves until ``stop()``, checking for changes every `interval` seconds.
    public func run(pollInterval interval: Double = 0.5) {
        let watcher = Thread { [self] in
            while !self.isStopping {
                Thread.sleep(forTimeInterval: interval)
                self.rebuildIfChanged()
            }
        }
        watcher.start()
        server.run()
        stopping.lock()
        stopFlag = true
        stopping.unlock()
    }

    private let stopping = NSLock()
    private var stopFlag = false
    private var isStopping: Bool {
        stopping.lock()
        defer { stopping.unlock() }
        return stopFlag
    }

    public func stop() {
        stopping.lock()
        stopFlag = true
        stopping.unlock()
        server.stop()
    }

    /// Rebuilds when any watched file's size or modification time changed, or a file came or went.
    func rebuildIfChanged() {
        let now = fingerprint()
        guard now != lastFingerprint else { return }
        lastFingerprint = now
        do {
            let files = try build()
            server.publish(files)
            log("rebuilt \(files.count) files; reloading open pages")
        } catch {
            log("rebuild failed; still serving the previous site:\n\(error)")
        }
    }

    private func build() throws -> [String: [UInt8]] {
        let docSet = try DocSet.load(configPath: configPath)
        return try SiteBuilder(docSet: docSet).render()
    }

    /// One line per watched file: the config, every file under the docs folder and the theme folder.
    func fingerprint() -> [String] {
        var lines = [Self.stamp(configPath)]
        let configURL = URL(fileURLWithPath: configPath)
        let root = configURL.deletingLastPathComponent()
        var folders: [URL] = []
        // Only a regular config is read here, on every poll; one given as a pipe is read by the build alone.
        if let bytes = try? FileReader.read(path: configPath, accepting: .regularFilesOnly),
           let config = try? RunbookConfig.parse(String(decoding: bytes, as: UTF8.self), path: configPath) {
            folders.append(root.appendingPathComponent(config.site.docs))
            if let theme = config.site.theme, !theme.isEmpty {
                folders.append(theme.hasPrefix("/") ? URL(fileURLWithPath: theme) : root.appendingPathComponent(theme))
            }
        }
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder.path) else { continue }
            var entries: [String] = []
            while let rel = walker.nextObject() as? String { entries.append(Self.stamp(folder.appendingPathComponent(rel).path)) }
            lines += entries.sorted()
        }
        return lines
    }

    private static func stamp(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "\(path) -" }
        return "\(path) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }
}
