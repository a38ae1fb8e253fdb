import RunbookCore
/// Renders a doc's markdown tree to HTML: heading ids, step blocks with their run commands,
/// doc links rewritten to pages, raw HTML escaped, unsafe links dropped.
///
/// A walker over ``MarkdownNode``; pure: values in, a string out.
public struct HTMLRenderer {
    let document: RunbookDocument
    let docSet: DocSet?
    private var headingIndex = 0
    private let stepsByLine: [Int: Step]
    /// Sections that `runbook exec DOC#ID` runs, by heading id.
    private let executableIDs: Set<String>
    private let headingIDs: Set<String>
    private var out = ""

    /// Renders `document`'s body. `docSet` resolves links to other docs (nil: links left as written).
    public static func render(_ document: RunbookDocument, in docSet: DocSet?) -> String {
        var r = HTMLRenderer(document: document, docSet: docSet)
        for child in document.body.children { r.block(child, tight: false) }
        return r.out
    }

    private init(document: RunbookDocument, docSet: DocSet?) {
        self.document = document
        self.docSet = docSet
        var steps: [Int: Step] = [:]
        for s in document.steps { steps[s.line] = s }
        stepsByLine = steps
        executableIDs = Set(document.executableSections.map(\.heading.id))
        headingIDs = Set(document.headings.map(\.id))
        out.reserveCapacity(document.body.children.count * 200)
    }

    // MARK: - Blocks

    private mutating func block(_ node: MarkdownNode, tight: Bool) {
        switch node.kind {
        case .paragraph:
            if tight { inlines(node.children) } else {
                out += "<p>"
                inlines(node.children)
                out += "</p>\n"
            }
        case .heading(let level):
            let heading = headingIndex < document.headings.count ? document.headings[headingIndex] : nil
            headingIndex += 1
            let rawID = heading?.id ?? ""
            // A heading of symbols only has an empty id (as on GitHub): no anchor to link to.
            guard !rawID.isEmpty else {
                out += "<h\(level)>"
                inlines(node.children)
                out += "</h\(level)>\n"
                return
            }
            let id = HTMLEscaping.escape(rawID)
            out += "<h\(level) id=\"\(id)\">"
            inlines(node.children)
            out += "<a class=\"anchor\" href=\"#\(id)\" aria-label=\"이 제목의 링크\">#</a></h\(level)>\n"
            if executableIDs.contains(rawID) {
                out += StepChrome.sectionCommand(doc: document.name, section: rawID)
            }
        case .blockQuote:
            out += "<blockquote>\n"
            for c in node.children { block(c, tight: false) }
            out += "</blockquote>\n"
        case .list(let ordered, let start, let isTight):
            let tag = ordered ? "ol" : "ul"
            let isTaskList = node.children.contains { if case .item(let t) = $0.kind { return t != nil } else { return false } }
            var attrs = ordered && start != 1 ? " start=\"\(start)\"" : ""
            if isTaskList { attrs += " class=\"tasks\"" }
            out += "<\(tag)\(attrs)>\n"
            for item in node.children { listItem(item, tight: isTight) }
            out += "</\(tag)>\n"
        case .item:
            listItem(node, tight: tight)
        case .codeBlock(let info, let literal):
            if let step = stepsByLine[node.line] {
                out += StepChrome.step(step, doc: document.name, section: document.commandSection(for: step), anchored: !headingIDs.contains("step-" + step.id))
            } else {
                let lang = info.split(whereSeparator: { $0 == " " || $0 == "{" }).first.map(String.init) ?? ""
                out += StepChrome.codeBlock(literal, language: lang)
            }
        case .htmlBlock(let raw):
            // Raw HTML in a doc is shown as text, never interpreted.
            out += "<pre class=\"raw-html\"><code>\(HTMLEscaping.escape(raw))</code></pre>\n"
        case .thematicBreak:
            out += "<hr>\n"
        case .table(let alignments):
            table(node, alignments: alignments)
        default:
            inlines([node])
        }
    }

    private mutating func listItem(_ item: MarkdownNode, tight: Bool) {
        if case .item(let task?) = item.kind {
            out += "<li class=\"task\"><input type=\"checkbox\" disabled\(task ? " checked" : "") aria-label=\"\(task ? "done" : "to do")\"> "
        } else {
            out += "<li>"
        }
        for (i, child) in item.children.enumerated() {
            if tight, case .paragraph = child.kind {
                if i > 0 { out += "\n" }
                inlines(child.children)
            } else {
                if i == 0 { out += "\n" }
                block(child, tight: false)
            }
        }
        out += "</li>\n"
    }

    private mutating func table(_ node: MarkdownNode, alignments: [MarkdownNode.TableAlignment]) {
        // Each column's opening tags once per table, not once per cell: a table can have a million.
        let classes = alignments.map { align -> String in
            switch align {
            case .none: return ""
            case .left: return " class=\"left\""
            case .center: return " class=\"center\""
            case .right: return " class=\"right\""
            }
        }
        let openHeader = classes.map { "<th\($0)>" }
        let openData = classes.map { "<td\($0)>" }
        out += "<div class=\"table\"><table>\n"
        var inBody = false
        for row in node.children {
            guard case .tableRow(let header) = row.kind else { continue }
            if header { out += "<thead>\n" } else if !inBody { out += "<tbody>\n"; inBody = true }
            out += "<tr>\n"
            let open = header ? openHeader : openData
            let cells = row.children
            for i in 0..<cells.count {
                out += i < open.count ? open[i] : header ? "<th>" : "<td>"
                inlines(cells[i].children)
                out += header ? "</th>\n" : "</td>\n"
            }
            out += "</tr>\n"
            if header { out += "</thead>\n" }
        }
        if inBody { out += "</tbody>\n" }
        out += "</table></div>\n"
    }

    // MARK: - Inlines

    private mutating func inlines(_ nodes: [MarkdownNode]) {
        for node in nodes { inline(node) }
    }

    private mutating func inline(_ node: MarkdownNode) {
        switch node.kind {
        case .text(let s): out += HTMLEscaping.escape(s)
        case .softBreak: out += "\n"
        case .lineBreak: out += "<br>\n"
        case .code(let s): out += "<code>\(HTMLEscaping.escape(s))</code>"
        case .htmlInline(let raw): out += "<code class=\"raw-html\">\(HTMLEscaping.escape(raw))</code>"
        case .emphasis: wrap("em", node)
        case .strong: wrap("strong", node)
        case .strikethrough: wrap("del", node)
        case .link(let destination, let title):
            if let href = href(for: destination) {
                let t = title.isEmpty ? "" : " title=\"\(HTMLEscaping.escape(title))\""
                let external = href.hasPrefix("http://") || href.hasPrefix("https://") ? " rel=\"noopener\"" : ""
                out += "<a href=\"\(href)\"\(t)\(external)>"
                inlines(node.children)
                out += "</a>"
            } else {
                out += "<span class=\"dead-link\">"
                inlines(node.children)
                out += "</span>"
            }
        case .image(let source, let title):
            let alt = HTMLEscaping.escape(node.plainText)
            if let src = href(for: source), !src.hasPrefix("mailto:"), !src.hasPrefix("tel:") {
                let t = title.isEmpty ? "" : " title=\"\(HTMLEscaping.escape(title))\""
                out += "<img src=\"\(src)\" alt=\"\(alt)\"\(t) loading=\"lazy\">"
            } else {
                out += "<span class=\"dead-link\">\(alt)</span>"
            }
        default:
            for c in node.children { block(c, tight: true) }
        }
    }

    private mutating func wrap(_ tag: String, _ node: MarkdownNode) {
        out += "<\(tag)>"
        inlines(node.children)
        out += "</\(tag)>"
    }

    /// The `href` for a destination, or nil when the link must not be a link (unsafe scheme,
    /// broken, or a file that is not part of the site).
    private func href(for destination: String) -> String? {
        guard let docSet else { return LinkPolicy.isSafe(destination) ? LinkPolicy.encode(destination) : nil }
        switch docSet.resolve(destination, from: document) {
        case .external(let url): return LinkPolicy.encode(url)
        case .page(let doc, let fragment):
            let page = doc == document.name && fragment != nil ? "" : SitePaths.href(forPage: SitePaths.relativePage(for: doc, from: document.name))
            return page + (fragment.map { "#" + HTMLEscaping.escape($0) } ?? "")
        case .file, .unsafe, .broken: return nil
        }
    }
}
