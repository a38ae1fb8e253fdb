import RunbookCore
/// Renders every file of the site in memory: one page per doc, the index, 404, the sitemap,
/// the search index and the theme's assets.
///
/// Pure and deterministic: the same doc set and theme give the same bytes, whatever the order
/// of files on disk (the doc set is sorted by name) and whatever the day (overdue is computed
/// in the browser).
struct SiteRenderer: Sendable {
    /// Files the build writes itself; a theme cannot replace them.
    static let generatedFiles: Set<String> = ["index.html", "404.html", "sitemap.xml", "search-index.js"]
    /// Doc names whose page would be one of the generated files.
    static let reservedDocNames: Set<String> = ["index", "404"]
    /// Up to this many docs, the global navigation lists every doc; beyond, it links to the index.
    static let navigationDocLimit = 20

    let docSet: DocSet
    let theme: Theme

    func files() -> [String: [UInt8]] {
        var files = siteFiles()
        for (path, bytes) in pages(docSet.documents[...]) { files[path] = bytes }
        return files
    }

    /// The pages of `docs`, rendered on all cores.
    func pages(_ docs: ArraySlice<RunbookDocument>) -> [(path: String, bytes: [UInt8])] {
        Array(docs).parallelMap { (SitePaths.page(for: $0.name), page(for: $0)) }
    }

    /// Every file but the doc pages: index, 404, sitemap, search index, theme assets.
    func siteFiles() -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in siteFileNames { files[name] = siteFile(name) }
        return files
    }

    /// The names of ``siteFiles()``, sorted.
    var siteFileNames: [String] { Self.generatedFiles.union(theme.assets.keys).sorted() }

    /// One of ``siteFileNames``, rendered.
    func siteFile(_ name: String) -> [UInt8] {
        switch name {
        case "index.html": return indexPage()
        case "404.html": return notFoundPage()
        case "sitemap.xml": return Array(sitemap().utf8)
        case "search-index.js": return SearchIndex.javascript(docs: docSet.documents)
        default: return theme.assets[name] ?? []
        }
    }

    private var siteTitle: String { HTMLEscaping.escape(docSet.config.site.title) }
    private var language: String { HTMLEscaping.escape(docSet.config.site.language) }

    // MARK: - Shared parts

    /// The global navigation: the site title (to the index) and, for a small set, every doc.
    func navigation(root: String, current: String?) -> String {
        var html = "<nav class=\"global\" aria-label=\"문서\"><a class=\"home\" href=\"\(root)index.html\">\(siteTitle)</a>"
        let docs = docSet.documents
        if docs.count <= Self.navigationDocLimit {
            html += "<ul>"
            for doc in docs {
                let here = doc.name == current ? " aria-current=\"page\"" : ""
                html += "<li><a href=\"\(root)\(SitePaths.href(forPage: SitePaths.page(for: doc.name)))\"\(here)>\(HTMLEscaping.escape(doc.title))</a></li>"
            }
            html += "</ul>"
        } else {
            html += "<ul><li><a href=\"\(root)index.html\">모든 문서 (\(docs.count))</a></li></ul>"
        }
        return html + "</nav>"
    }

    /// The table of contents: headings of levels 2 to 4 that have an id; none for fewer than two.
    func tableOfContents(_ doc: RunbookDocument) -> String {
        let entries = doc.headings.filter { (2...4).contains($0.level) && !$0.id.isEmpty }
        guard entries.count >= 2 else { return "" }
        var html = "<details class=\"toc\"><summary>목차</summary><ol>"
        for h in entries {
            html += "<li class=\"toc-\(h.level)\"><a href=\"#\(HTMLEscaping.escape(h.id))\">\(HTMLEscaping.escape(h.text))</a></li>"
        }
        return html + "</ol></details>"
    }

    private func dueTime(_ date: CalendarDate) -> String {
        "<time class=\"due\" datetime=\"\(date)\">\(date)</time>"
    }

    private func fill(title: String, root: String, kind: String, current: String?, toc: String = "", meta: String = "",
                      content: String, footer: String) -> [UInt8] {
        theme.page.fillBytes([
            "lang": language,
            "title": title,
            "site_title": siteTitle,
            "root": root,
            "page_kind": kind,
            "nav": navigation(root: root, current: current),
            "toc": toc,
            "meta": meta,
            "content": content,
            "footer": footer,
        ])
    }

    // MARK: - Pages

    func page(for doc: RunbookDocument) -> [UInt8] {
        let fm = doc.frontMatter
        // Docs that carry their title only in front matter still get a page heading.
        var meta = doc.headings.contains { $0.level == 1 } ? "" : "<h1 class=\"doc-title\">\(HTMLEscaping.escape(doc.title))</h1>\n"
        meta += "<div class=\"doc-meta\">"
        if let owner = fm.owner { meta += "<span>담당 <strong>\(HTMLEscaping.escape(owner))</strong></span>" }
        if let reviewed = fm.reviewed { meta += "<span>검토 <time datetime=\"\(reviewed)\">\(reviewed)</time></span>" }
        if let due = fm.dueDate { meta += "<span>다음 검토 \(dueTime(due))</span>" }
        meta += "</div>"
        return fill(
            title: HTMLEscaping.escape(doc.title), root: SitePaths.prefix(doc.name), kind: "doc", current: doc.name,
            toc: tableOfContents(doc), meta: meta, content: HTMLRenderer.render(doc, in: docSet),
            footer: "원본: <code>\(HTMLEscaping.escape(doc.path))</code>")
    }

    func indexPage() -> [UInt8] {
        // One string, appended to in place: for a thousand docs the table is most of the page.
        var content = "<h1 id=\"docs\">\(siteTitle)</h1>\n<div class=\"table\"><table class=\"doc-index\">\n"
        content += "<thead><tr><th>문서</th><th>담당</th><th>검토일</th><th>다음 검토</th><th>실행 가능한 절차</th></tr></thead>\n<tbody>\n"
        for doc in docSet.documents {
            let fm = doc.frontMatter
            let href = SitePaths.href(forPage: SitePaths.page(for: doc.name))
            content += "<tr><td data-label=\"문서\"><a href=\"\(href)\">\(HTMLEscaping.escape(doc.title))</a></td>"
            content += "<td data-label=\"담당\">\(HTMLEscaping.escape(fm.owner ?? "-"))</td>"
            content += "<td data-label=\"검토일\">\(fm.reviewed.map { "<time datetime=\"\($0)\">\($0)</time>" } ?? "-")</td>"
            content += "<td data-label=\"다음 검토\">\(fm.dueDate.map { dueTime($0) } ?? "-")</td>"
            content += "<td data-label=\"실행 가능한 절차\">"
            let sections = doc.executableSections
            if sections.isEmpty { content += "-" } else {
                content += "<ul class=\"sections\">"
                for s in sections {
                    let command = "runbook exec \(doc.name)#\(s.heading.id)"
                    content += "<li><a href=\"\(href)#\(HTMLEscaping.escape(s.heading.id))\">\(HTMLEscaping.escape(s.heading.text))</a>"
                    content += "<div class=\"run\"><code>\(HTMLEscaping.escape(command))</code>\(StepChrome.copyButton(command))</div></li>"
                }
                content += "</ul>"
            }
            content += "</td></tr>\n"
        }
        content += "</tbody>\n</table></div>\n"
        return fill(title: "문서 목록", root: "", kind: "index", current: nil, content: content,
                    footer: "원본: <code>\(HTMLEscaping.escape(docSet.config.site.docs))</code>")
    }

    /// The root for pages that may be served at any path (404): the published URL when known.
    private var absoluteRoot: String {
        guard let base = docSet.config.site.baseURL, !base.isEmpty, LinkPolicy.isSafe(base) else { return "" }
        return HTMLEscaping.escape(base.hasSuffix("/") ? base : base + "/")
    }

    func notFoundPage() -> [UInt8] {
        let root = absoluteRoot
        let content = """
        <h1 id="not-found">페이지를 찾을 수 없습니다</h1>
        <p>주소가 바뀌었거나 문서가 삭제되었습니다. 위의 검색 상자(<kbd>/</kbd>)로 찾거나 <a href="\(root)index.html">문서 목록</a>으로 가세요.</p>

        """
        return fill(title: "404", root: root, kind: "not-found", current: nil, content: content, footer: "")
    }

    /// `sitemap.xml`: absolute URLs from `[site] base_url`; relative ones (and a note) without it.
    func sitemap() -> String {
        let base: String
        if let b = docSet.config.site.baseURL, !b.isEmpty { base = b.hasSuffix("/") ? b : b + "/" } else { base = "" }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        if base.isEmpty { xml += "<!-- Set [site] base_url in runbook.toml to get absolute URLs, as search engines expect. -->\n" }
        xml += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        xml += "<url><loc>\(HTMLEscaping.escape(base + "index.html"))</loc></url>\n"
        for doc in docSet.documents {
            xml += "<url><loc>\(HTMLEscaping.escape(base + SitePaths.href(forPage: SitePaths.page(for: doc.name))))</loc>"
            if let reviewed = doc.frontMatter.reviewed { xml += "<lastmod>\(reviewed)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }
}
