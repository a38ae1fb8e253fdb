/// Renders every file of the site in memory: one page per doc, the index and the assets.
struct SiteRenderer {
    let docSet: DocSet
    let theme = Theme.embedded

    func files() -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for doc in docSet.documents {
            files[SitePaths.page(for: doc.name)] = Array(page(for: doc).utf8)
        }
        files["index.html"] = Array(indexPage().utf8)
        for (name, text) in theme.assets { files[name] = Array(text.utf8) }
        return files
    }

    private var siteTitle: String { HTMLEscaping.escape(docSet.config.site.title) }

    private func navigation(from current: String?) -> String {
        let prefix = current.map(SitePaths.prefix) ?? ""
        var html = "<nav class=\"global\" aria-label=\"Docs\"><a class=\"home\" href=\"\(prefix)index.html\">\(siteTitle)</a><ul>"
        for doc in docSet.documents {
            let here = doc.name == current ? " aria-current=\"page\"" : ""
            html += "<li><a href=\"\(HTMLEscaping.escape(prefix + SitePaths.page(for: doc.name)))\"\(here)>\(HTMLEscaping.escape(doc.title))</a></li>"
        }
        return html + "</ul></nav>"
    }

    private func page(for doc: RunbookDocument) -> String {
        let fm = doc.frontMatter
        var meta = ""
        if let owner = fm.owner { meta += "<span>담당 <strong>\(HTMLEscaping.escape(owner))</strong></span>" }
        if let reviewed = fm.reviewed { meta += "<span>검토 <time>\(reviewed)</time></span>" }
        if let due = fm.dueDate { meta += "<span>다음 검토 <time class=\"due\" datetime=\"\(due)\">\(due)</time></span>" }
        return theme.page.fill([
            "lang": HTMLEscaping.escape(docSet.config.site.language),
            "title": HTMLEscaping.escape(doc.title),
            "site_title": siteTitle,
            "root": SitePaths.prefix(doc.name),
            "nav": navigation(from: doc.name),
            "meta": meta,
            "content": HTMLRenderer.render(doc, in: docSet),
            "source": HTMLEscaping.escape(doc.path),
        ])
    }

    private func indexPage() -> String {
        var rows = ""
        for doc in docSet.documents {
            let fm = doc.frontMatter
            let sections = doc.executableSections.map { s in
                "<li><a href=\"\(HTMLEscaping.escape(SitePaths.page(for: doc.name)))#\(HTMLEscaping.escape(s.heading.id))\">\(HTMLEscaping.escape(s.heading.text))</a> <code>runbook exec \(HTMLEscaping.escape(doc.name))#\(HTMLEscaping.escape(s.heading.id))</code></li>"
            }.joined()
            rows += "<tr><td><a href=\"\(HTMLEscaping.escape(SitePaths.page(for: doc.name)))\">\(HTMLEscaping.escape(doc.title))</a></td>"
            rows += "<td>\(HTMLEscaping.escape(fm.owner ?? "-"))</td>"
            rows += "<td>\(fm.reviewed.map { "<time>\($0)</time>" } ?? "-")</td>"
            rows += "<td>\(fm.dueDate.map { "<time class=\"due\" datetime=\"\($0)\">\($0)</time>" } ?? "-")</td>"
            rows += "<td>\(sections.isEmpty ? "-" : "<ul class=\"sections\">\(sections)</ul>")</td></tr>\n"
        }
        let content = """
        <h1 id="docs">\(siteTitle)</h1>
        <div class="table"><table class="doc-index">
        <thead><tr><th>문서</th><th>담당</th><th>검토일</th><th>다음 검토</th><th>실행 가능한 절차</th></tr></thead>
        <tbody>
        \(rows)</tbody>
        </table></div>

        """
        return theme.page.fill([
            "lang": HTMLEscaping.escape(docSet.config.site.language),
            "title": siteTitle,
            "site_title": siteTitle,
            "root": "",
            "nav": navigation(from: nil),
            "meta": "",
            "content": content,
            "source": HTMLEscaping.escape(docSet.config.site.docs),
        ])
    }
}
