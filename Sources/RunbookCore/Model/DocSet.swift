import Foundation
import SystemIO

/// Every doc of a project, parsed, with cross-doc links resolved.
public struct DocSet: Sendable {
    public var config: RunbookConfig
    /// Docs sorted by name, so output never depends on the order of files on disk.
    public var documents: [RunbookDocument]
    /// Errors and warnings from parsing and from link resolution.
    public var diagnostics: [Diagnostic]
    /// The project folder (where runbook.toml is).
    public var root: URL

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    public init(config: RunbookConfig, documents: [RunbookDocument] = [], diagnostics: [Diagnostic] = [], root: URL) {
        self.config = config
        self.documents = documents
        self.diagnostics = diagnostics
        self.root = root
    }

    public func document(named name: String) -> RunbookDocument? { documents.first { $0.name == name } }

    /// The most read from one doc: far more than any runbook, small enough to keep a stray
    /// multi-gigabyte `.md` out of memory.
    public static let docByteLimit = 32 << 20

    /// Loads `runbook.toml` at `configPath` and every `.md` under its docs folder.
    public static func load(configPath: String) throws -> DocSet {
        let config = try RunbookConfig.load(path: configPath)
        return try load(config: config, root: URL(fileURLWithPath: configPath).deletingLastPathComponent())
    }

    /// Loads every `.md` under `config.site.docs` (relative to `root`).
    ///
    /// Only files inside the docs folder are read: a doc (or a folder of docs) that is a link
    /// leading out of it is an error naming the link and where it points.
    public static func load(config: RunbookConfig, root: URL) throws -> DocSet {
        let docsURL = root.appendingPathComponent(config.site.docs)
        guard let listing = FolderListing.walk(docsURL.path, including: isDoc) else {
            throw ConfigError(file: config.path, line: 0, message: "the docs folder '\(config.site.docs)' does not exist (set [site] docs)")
        }
        var diagnostics = listing.refusals.map { refusal(for: $0, docs: config.site.docs) }
        var sources: [DocSource] = []
        for file in listing.sortedFiles {
            let display = config.site.docs + "/" + file.path
            do {
                // Found by walking the folder, so only regular files: a stray FIFO must not stop the build.
                let bytes = try FileReader.read(path: file.realPath, limit: docByteLimit, accepting: .regularFilesOnly)
                sources.append(DocSource(rel: display, name: String(file.path.dropLast(3)), data: bytes))
            } catch where error.code == .notRegularFile {
                diagnostics.append(Diagnostic(file: display, line: 0, severity: .warning, code: .unreadable,
                                              message: "skipped: \(error.reason); docs are read only from regular files"))
            } catch {
                diagnostics.append(Diagnostic(file: display, line: 0, code: .unreadable, message: "cannot read the doc (\(error.reason))"))
            }
        }
        CommonMarkConverter.registerExtensions()
        let results = sources.parallelMap { s in
            DocumentParser.parse(bytes: s.data, path: s.rel, name: s.name)
        }
        var documents: [RunbookDocument] = []
        for r in results {
            documents.append(r.document)
            diagnostics += r.diagnostics
        }
        var set = DocSet(config: config, documents: documents, diagnostics: diagnostics, root: root)
        set.diagnostics += set.linkDiagnostics()
        return set
    }

    /// Whether a path in the docs folder names a doc.
    public static func isDoc(_ path: String) -> Bool { path.hasSuffix(".md") }

    /// What a walk of the docs folder left out, as the doc set reports it.
    static func refusal(for refusal: FolderListing.Refusal, docs: String) -> Diagnostic {
        switch refusal {
        case .outside(let path, let target):
            return Diagnostic(file: docs + "/" + path, line: 0, code: .linkOutsideDocs,
                              message: "is a symbolic link to \(target), outside the docs folder \(docs); runbook reads only files inside it, so nothing from it reaches the site; copy what is needed into \(docs) or remove the link")
        case .repeated(let path, let target):
            let named = target.isEmpty ? docs : docs + "/" + target
            return Diagnostic(file: docs + "/" + path, line: 0, severity: .warning, code: .linkRepeated,
                              message: "skipped: a link to the folder \(named), which is read already (a folder is read once, and never through a link inside itself)")
        case .unreadable(let path, let reason):
            return Diagnostic(file: path.isEmpty ? docs : docs + "/" + path, line: 0, code: .unreadable,
                              message: "cannot read the folder (\(reason))")
        }
    }

    struct DocSource: Sendable {
        var rel: String
        var name: String
        var data: [UInt8]
    }

    /// The `.md` files under `dir` that a load reads, relative paths, sorted bytewise.
    public static func markdownFiles(in dir: URL) -> [String] {
        guard let listing = FolderListing.walk(dir.path, including: isDoc) else { return [] }
        return listing.sortedFiles.map(\.path)
    }

    // MARK: - Links

    /// Where a link written in `document` goes: another doc's page and anchor, an anchor on the
    /// same page, or nowhere (with the reason).
    public enum LinkTarget: Sendable, Equatable {
        case external(String)
        case page(doc: String, fragment: String?)
        case file(String)
        case unsafe
        case broken(String)
    }

    public func resolve(_ destination: String, from document: RunbookDocument) -> LinkTarget {
        if destination.isEmpty { return .broken("empty link") }
        if !LinkPolicy.isSafe(destination) { return .unsafe }
        if !LinkPolicy.isInternal(destination) { return .external(destination) }
        let (rawPath, fragment) = LinkPolicy.split(destination)
        let path = rawPath.removingPercentEncoding ?? rawPath
        if path.isEmpty {
            guard let fragment else { return .page(doc: document.name, fragment: nil) }
            return document.heading(id: fragment) != nil
                ? .page(doc: document.name, fragment: fragment)
                : .broken("no heading with id '\(fragment)' in this doc")
        }
        if path.hasPrefix("/") { return .file(path) }
        let base = document.name.split(separator: "/").dropLast().map(String.init)
        let joined = Self.normalize(base + path.split(separator: "/").map(String.init))
        if joined.hasSuffix(".md") {
            let name = String(joined.dropLast(3))
            guard let target = self.document(named: name) else { return .broken("no doc '\(path)' in \(config.site.docs)") }
            if let fragment, target.heading(id: fragment) == nil {
                return .broken("'\(path)' has no heading with id '\(fragment)'")
            }
            return .page(doc: name, fragment: fragment)
        }
        return .file(joined)
    }

    static func normalize(_ parts: [String]) -> String {
        var out: [String] = []
        for p in parts {
            if p == "." || p.isEmpty { continue }
            if p == "..", let last = out.last, last != ".." { out.removeLast() } else { out.append(p) }
        }
        return out.joined(separator: "/")
    }

    private func linkDiagnostics() -> [Diagnostic] {
        var out: [Diagnostic] = []
        for doc in documents {
            for link in doc.links {
                switch resolve(link.destination, from: doc) {
                case .broken(let why):
                    out.append(Diagnostic(file: doc.path, line: link.line, code: .brokenLink, message: "broken link '\(link.destination)': \(why)"))
                case .unsafe:
                    out.append(Diagnostic(file: doc.path, line: link.line, severity: .warning, code: .unsafeLink,
                                          message: "link '\(link.destination)' uses a scheme the site drops"))
                default: break
                }
            }
        }
        return out
    }
}
