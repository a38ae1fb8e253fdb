import Foundation
import RunbookCore

/// Builds the static site for a doc set: renders the pages (a batch at a time, on all cores),
/// writes only the files whose bytes changed (each replaced atomically), and removes files the
/// site no longer has.
///
/// Every error is found before the first write: a broken doc leaves the previous site as it was.
public struct SiteBuilder {
    /// The outcome of comparing what the build would write with what is on disk.
    public struct Comparison: Sendable, Equatable {
        public var stale: [String] = []
        public var missing: [String] = []
        public var extra: [String] = []
        public var isFresh: Bool { stale.isEmpty && missing.isEmpty && extra.isEmpty }
    }

    public struct Report: Sendable {
        public var written: [String]
        public var unchanged: Int
        public var removed: [String]
        public var total: Int
    }

    public let docSet: DocSet

    public init(docSet: DocSet) { self.docSet = docSet }

    /// The embedded theme, with the files of `[site] theme` (relative to the config's folder) over it.
    func theme() throws(ConfigError) -> Theme {
        guard let dir = docSet.config.site.theme, !dir.isEmpty else { return .embedded }
        let url = dir.hasPrefix("/") ? URL(fileURLWithPath: dir) : docSet.root.appendingPathComponent(dir)
        return try Theme.load(overridesFrom: url, configPath: docSet.config.path)
    }

    /// Every file of the site, path -> bytes, rendered in memory.
    ///
    /// Throws ``DiagnosticsError`` (each with file:line) when a doc has an error, such as a link to
    /// a missing doc or anchor, and ``ConfigError`` for a bad theme.
    public func render() throws -> [String: [UInt8]] {
        try renderer().files()
    }

    /// A renderer for this doc set, once the doc set is known to have no errors.
    func renderer() throws -> SiteRenderer {
        var errors = docSet.errors
        for doc in docSet.documents where SiteRenderer.reservedDocNames.contains(doc.name) {
            errors.append(Diagnostic(file: doc.path, line: 1, code: .config,
                                     message: "a doc named '\(doc.name).md' would replace the site's \(doc.name).html page; rename the file"))
        }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
        let theme = try theme()
        for doc in docSet.documents where theme.assets[SitePaths.page(for: doc.name)] != nil {
            throw ConfigError(file: docSet.config.path, line: 0,
                              message: "the theme file \(SitePaths.page(for: doc.name)) would replace the page of \(doc.path); rename one of them")
        }
        return SiteRenderer(docSet: docSet, theme: theme)
    }

    /// How many pages are rendered before they are written: bounds memory on large doc sets.
    static let pagesPerBatch = 16

    /// Renders, then writes the files that changed into `outDir`, a batch of pages at a time.
    ///
    /// Every doc error is found before the first write, so a failed build leaves the previous
    /// site as it was; each changed file is replaced atomically.
    public func build(into outDir: URL) throws -> Report {
        let renderer = try renderer()
        var session = try SiteWriter(outDir: outDir).begin()
        let docs = docSet.documents
        var start = 0
        while start < docs.count {
            let end = min(start + Self.pagesPerBatch, docs.count)
            let batch = Array(docs[start..<end])
            for doc in batch { try session.makeFolder(for: SitePaths.page(for: doc.name)) }
            // Render, compare and write on all cores; creating files is as costly as rendering them.
            let store = session
            let outcomes = batch.parallelMap { doc -> Result<Bool, any Error> in
                let path = SitePaths.page(for: doc.name)
                return Result { try store.store(path, renderer.page(for: doc)) }
            }
            for (doc, outcome) in zip(batch, outcomes) { session.record(SitePaths.page(for: doc.name), written: try outcome.get()) }
            start = end
        }
        // One at a time, so no two of the large ones (index, search index) are in memory together.
        for path in renderer.siteFileNames {
            try session.put(path, renderer.siteFile(path))
        }
        return try session.finish()
    }

    /// Compares `outDir` with what a build would write.
    public func compare(with outDir: URL) throws -> Comparison {
        let files = try render()
        return SiteWriter(outDir: outDir).compare(files)
    }
}

public enum SiteError: Error, CustomStringConvertible {
    case notASite(String)
    case write(String, String)

    public var description: String {
        switch self {
        case .notASite(let dir):
            return "\(dir) has files but was not made by runbook build (no \(SiteWriter.marker)); choose an empty folder with --out, or remove it"
        case .write(let path, let why): return "cannot write \(path): \(why)"
        }
    }
}
