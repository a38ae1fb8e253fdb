import DocGen
import Foundation
import RunbookCore
import Synchronization
import SystemIO

/// `runbook serve`: builds the site in memory, serves it, and rebuilds when a doc, the config or
/// the theme changes (polling modification times), so open pages reload.
///
/// Nothing is written to disk: the committed `site/` is left alone. A rebuild that fails publishes
/// nothing: the last good site stays served, open pages do not reload, and the log says why.
public final class PreviewSession: Sendable {
    public let configPath: String
    public let server: PreviewServer
    /// Where messages go (the CLI passes a printer to stderr).
    private let log: @Sendable (String) -> Void
    private let watch = Mutex(Watch())

    private struct Watch {
        var fingerprint: [String] = []
        var stopping = false
    }

    public init(configPath: String, limits: PreviewLimits = .standard, log: @escaping @Sendable (String) -> Void) {
        self.configPath = configPath
        self.server = PreviewServer(limits: limits)
        self.log = log
    }

    /// Builds once (throwing when the first build fails) and binds the port.
    public func start(port: UInt16) throws {
        let now = fingerprint()
        watch.withLock { $0.fingerprint = now }
        server.publish(try build())
        try server.bind(port: port)
    }

    /// Serves on the calling thread until ``stop()``, checking for changes every `interval` seconds on a
    /// thread of its own. Blocks: call it from a thread, never from a task.
    public func run(pollInterval interval: Double = 0.5) throws {
        let watcher = Thread { [self] in
            while !self.isStopping {
                Thread.sleep(forTimeInterval: interval)
                if !self.isStopping { self.rebuildIfChanged() }
            }
        }
        watcher.start()
        defer { watch.withLock { $0.stopping = true } }
        try server.run()
    }

    private var isStopping: Bool { watch.withLock { $0.stopping } }

    public func stop() {
        watch.withLock { $0.stopping = true }
        server.stop()
    }

    /// Rebuilds when any watched file's size or modification time changed, or a file came or went.
    func rebuildIfChanged() {
        let now = fingerprint()
        let changed = watch.withLock { watch in
            defer { watch.fingerprint = now }
            return watch.fingerprint != now
        }
        guard changed else { return }
        do {
            let files = try build()
            server.publish(files)
            log("rebuilt \(files.count) files; reloading open pages")
        } catch {
            log("rebuild failed; still serving the last good site (open pages stay as they are until a build succeeds):\n\(error)")
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
