import Foundation
import RunbookCore
import SystemIO

/// The templates and assets of the site: the embedded ones, overridden by file name from a theme folder.
///
/// A theme folder (`[site] theme = "DIR"` in runbook.toml, relative to the config file's folder)
/// may hold any of:
/// - `page.html`: the layout of every page (index, each doc, 404);
/// - `style.css`, `site.js`: the embedded stylesheet and script, replaced whole;
/// - any other file (a logo, fonts): copied to the site root under the same relative path.
///
/// `page.html` uses `{{name}}` placeholders, filled with HTML that is already escaped:
/// - `{{lang}}`: the page language (`[site] language`, e.g. `ko`);
/// - `{{title}}`: the page title (the doc's title; the site title on the index);
/// - `{{site_title}}`: `[site] title`;
/// - `{{root}}`: the relative path from the page to the site root (`""` or `../`), to prefix
///   asset links such as `{{root}}style.css`;
/// - `{{page_kind}}`: `index`, `doc` or `not-found` (used as the body's class);
/// - `{{nav}}`: the global navigation (`<nav class="global">`);
/// - `{{toc}}`: the table of contents of a doc (`<details class="toc">`), empty elsewhere;
/// - `{{meta}}`: a doc's title as `<h1 class="doc-title">` when the doc has no level-1 heading of
///   its own, then its owner, reviewed and due dates (`<div class="doc-meta">`); empty elsewhere;
/// - `{{content}}`: the page's body;
/// - `{{footer}}`: the footer line (the doc's source file).
/// A placeholder with any other name is an error, so a typo cannot silently blank part of a page.
/// Pages load `{{root}}search-index.js` (generated) and `{{root}}site.js` (search, copy buttons,
/// overdue flags); a theme's `page.html` should keep both script tags and the `.search` block.
struct Theme: Sendable {
    /// The template variables a page template may use.
    static let variables: Set<String> = ["lang", "title", "site_title", "root", "page_kind", "nav", "toc", "meta", "content", "footer"]

    var page: Template
    /// Static files by path relative to the site root (`style.css`, `site.js`, ...).
    var assets: [String: [UInt8]]

    /// The most read from one theme file (fonts and images included).
    static let fileByteLimit = 64 << 20

    static let embedded = Theme(
        page: Template(EmbeddedTheme.page),
        assets: ["style.css": Array(EmbeddedTheme.style.utf8), "site.js": Array(EmbeddedTheme.script.utf8)])

    /// The embedded theme with every file of `directory` laid over it by name.
    ///
    /// Only files inside the folder are read: a file (or folder) that is a link leading out of it
    /// is an error naming the link and where it points, so nothing outside reaches the site.
    static func load(overridesFrom directory: URL, configPath: String) throws(ConfigError) -> Theme {
        guard let listing = FolderListing.walk(directory.path, including: { _ in true }) else {
            throw ConfigError(file: configPath, line: 0, message: "the theme folder '\(directory.path)' does not exist (set [site] theme to a folder relative to the config file)")
        }
        for refusal in listing.refusals {
            switch refusal {
            case .outside(let path, let target):
                throw ConfigError(file: configPath, line: 0, message: "theme file \(directory.path)/\(path) is a symbolic link to \(target), outside the theme folder; the site copies only files inside it; copy the file into the theme folder or remove the link")
            case .unreadable(let path, let reason):
                throw ConfigError(file: configPath, line: 0, message: "cannot read the theme folder \(directory.path)/\(path) (\(reason))")
            case .repeated:
                // A link to a folder read already (or to one it is in): its files are in the listing.
                continue
            }
        }
        var theme = Theme.embedded
        for file in listing.sortedFiles {
            let rel = file.path
            let data: [UInt8]
            do {
                // Found by walking the folder: a FIFO is refused, never waited on.
                data = try FileReader.read(path: file.realPath, limit: fileByteLimit, accepting: .regularFilesOnly)
            } catch where error.code == .notRegularFile {
                throw ConfigError(file: configPath, line: 0, message: "theme file \(directory.path)/\(rel) is \(error.kind?.description ?? "not a regular file"), not a file the site can copy; remove it from the theme folder")
            } catch {
                throw ConfigError(file: configPath, line: 0, message: "cannot read theme file \(directory.path)/\(rel) (\(error.reason)); \(error.advice)")
            }
            if rel == "page.html" {
                let template = Template(String(decoding: data, as: UTF8.self))
                if let unknown = template.variables.first(where: { !variables.contains($0) }) {
                    throw ConfigError(file: configPath, line: 0, message: "theme file \(directory.path)/page.html uses unknown variable {{\(unknown)}}; the variables are \(variables.sorted().joined(separator: ", "))")
                }
                theme.page = template
            } else if SiteRenderer.generatedFiles.contains(rel) {
                throw ConfigError(file: configPath, line: 0, message: "theme file \(directory.path)/\(rel) would replace a file the build generates; rename it")
            } else {
                theme.assets[rel] = data
            }
        }
        return theme
    }
}

/// A template with `{{name}}` placeholders, filled with already-escaped HTML.
struct Template: Sendable {
    private enum Piece: Sendable { case text(String), variable(String) }
    private let pieces: [Piece]

    init(_ text: String) {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            pieces.append(.text(String(rest[..<open.lowerBound])))
            pieces.append(.variable(rest[open.upperBound..<close.lowerBound].trimmed))
            rest = rest[close.upperBound...]
        }
        pieces.append(.text(String(rest)))
        self.pieces = pieces
    }

    /// The names of the placeholders in this template.
    var variables: [String] {
        pieces.compactMap { if case .variable(let v) = $0 { return v } else { return nil } }
    }

    /// The template with every placeholder replaced, as UTF-8 bytes (what the site writes).
    func fillBytes(_ values: [String: String]) -> [UInt8] {
        var size = 0
        for p in pieces {
            switch p {
            case .text(let t): size += t.utf8.count
            case .variable(let v): size += values[v]?.utf8.count ?? 0
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        for p in pieces {
            switch p {
            case .text(let t): out.append(contentsOf: t.utf8)
            case .variable(let v): if let value = values[v] { out.append(contentsOf: value.utf8) }
            }
        }
        return out
    }

    func fill(_ values: [String: String]) -> String {
        var out = ""
        for p in pieces {
            switch p {
            case .text(let t): out += t
            case .variable(let v): out += values[v] ?? ""
            }
        }
        return out
    }
}
