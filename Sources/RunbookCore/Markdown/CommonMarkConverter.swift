import CCmarkGFM

/// Parses markdown with cmark-gfm and copies the result into ``MarkdownNode`` values.
///
/// This is the only file that imports `CCmarkGFM`. Every C object it creates is freed before
/// `parse` returns; no pointer escapes.
///
/// cmark-gfm parses any nesting, but the copy is cut at ``maxDepth``: every walk over a
/// ``MarkdownNode`` tree (the renderer, the search index, `plainText`, even freeing the tree)
/// may then recurse without running out of stack, whatever the doc holds.
public enum CommonMarkConverter {
    /// The deepest node kept, counting the document as 0. Each list, list item, block quote,
    /// emphasis, link or other container is one level (a list nested in a list item is two).
    /// Deeper nodes are left out and reported. Ten times what a real doc nests, and small
    /// enough that the deepest walk (the renderer's, in a debug build, about 5 KiB of stack
    /// a level) needs under 1 MiB of the 2 to 8 MiB a thread gets on Linux.
    public static let maxDepth = 128

    private static let extensionNames = ["table", "tasklist", "strikethrough", "autolink", "tagfilter"]

    /// Registers cmark-gfm's core extensions. Idempotent and cheap after the first call; it runs
    /// behind a Swift `static let`, whose initialisation is thread-safe, so concurrent parses never
    /// race on cmark's global registry.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Call once at start-up, before any concurrency (the CLI does; `parse` also does, safely).
    public static func registerExtensions() { _ = registered }

    /// Parses `source` (UTF-8 markdown; invalid bytes become U+FFFD) into a document node and
    /// what was left out of it.
    public static func parse(_ source: String) -> ParsedMarkdown {
        _ = registered
        let options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else { return ParsedMarkdown(document: MarkdownNode(.document, line: 1)) }
        defer { cmark_parser_free(parser) }
        var utf8 = Array(source.utf8)
        // A doc whose tables would cost cmark-gfm too much is read without the table extension.
        let tableProblem = TableCellBudget.problem(in: utf8)
        for name in extensionNames where !(name == "table" && tableProblem != nil) {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        utf8.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    cmark_parser_feed(parser, $0, buf.count)
                }
            }
        }
        utf8 = []
        guard let root = cmark_parser_finish(parser) else { return ParsedMarkdown(document: MarkdownNode(.document, line: 1)) }
        defer { cmark_node_free(root) }
        var parsed = convert(root)
        if let tableProblem { parsed.problems.insert(tableProblem, at: 0) }
        return parsed
    }

    private static func string(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }

    // MARK: - The walk

    /// A node whose children are still being copied.
    private struct OpenNode {
        var kind: MarkdownNode.Kind
        var line: Int
        var children: [MarkdownNode] = []

        init(_ node: OpaquePointer) {
            kind = CommonMarkConverter.kind(of: node)
            line = Int(cmark_node_get_start_line(node))
        }
    }

    /// Copies the tree under `root` in document order with a loop (no recursion: cmark's tree
    /// may be tens of thousands deep), freeing each cmark node once it is copied, so the C tree
    /// shrinks as the Swift one grows and the two are never both whole in memory.
    private static func convert(_ root: OpaquePointer) -> ParsedMarkdown {
        // open[d] is the copy of the node at depth d on the path from the root to `node`.
        var open = [OpenNode(root)]
        var node = root
        var cutLine: Int?
        while true {
            if let child = cmark_node_first_child(node) {
                if open.count <= maxDepth {
                    open.append(OpenNode(child))
                    node = child
                    continue
                }
                // Too deep: leave the children out (cmark frees a subtree without recursing).
                cutLine = cutLine ?? Int(cmark_node_get_start_line(child))
                while let c = cmark_node_first_child(node) { cmark_node_free(c) }
            }
            // `node` has no children left: close it, and every ancestor it is the last child of.
            while true {
                guard let done = open.popLast() else { return ParsedMarkdown(document: MarkdownNode(.document, line: 1)) }
                let copy = MarkdownNode(done.kind, line: done.line, children: done.children)
                if open.isEmpty {
                    return ParsedMarkdown(document: copy, problems: cutLine.map { [.nestedTooDeep(line: $0)] } ?? [])
                }
                open[open.count - 1].children.append(copy)
                let next = cmark_node_next(node)
                let parent = cmark_node_parent(node)
                cmark_node_free(node)
                if let next {
                    open.append(OpenNode(next))
                    node = next
                    break
                }
                guard let parent else { return ParsedMarkdown(document: MarkdownNode(.document, line: 1)) }
                node = parent
            }
        }
    }

    private static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        // Core types by number (most nodes are text); the extensions' types by name.
        // Compared as integers: the imported enum type's own `==` is a generic call per case.
        switch cmark_node_get_type(node).rawValue {
        case CMARK_NODE_DOCUMENT.rawValue: return .document
        case CMARK_NODE_BLOCK_QUOTE.rawValue: return .blockQuote
        case CMARK_NODE_LIST.rawValue:
            return .list(
                ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                start: Int(cmark_node_get_list_start(node)),
                tight: cmark_node_get_list_tight(node) != 0)
        case CMARK_NODE_ITEM.rawValue:
            // The tasklist extension marks its items with its own type name.
            return string(cmark_node_get_type_string(node)) == "item" ? .item(task: nil) : extensionKind(of: node)
        case CMARK_NODE_CODE_BLOCK.rawValue:
            return .codeBlock(info: string(cmark_node_get_fence_info(node)), literal: string(cmark_node_get_literal(node)))
        case CMARK_NODE_HTML_BLOCK.rawValue: return .htmlBlock(string(cmark_node_get_literal(node)))
        case CMARK_NODE_PARAGRAPH.rawValue: return .paragraph
        case CMARK_NODE_HEADING.rawValue: return .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_THEMATIC_BREAK.rawValue: return .thematicBreak
        case CMARK_NODE_TEXT.rawValue: return .text(string(cmark_node_get_literal(node)))
        case CMARK_NODE_SOFTBREAK.rawValue: return .softBreak
        case CMARK_NODE_LINEBREAK.rawValue: return .lineBreak
        case CMARK_NODE_CODE.rawValue: return .code(string(cmark_node_get_literal(node)))
        case CMARK_NODE_HTML_INLINE.rawValue: return .htmlInline(string(cmark_node_get_literal(node)))
        case CMARK_NODE_EMPH.rawValue: return .emphasis
        case CMARK_NODE_STRONG.rawValue: return .strong
        case CMARK_NODE_LINK.rawValue: return .link(destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        case CMARK_NODE_IMAGE.rawValue: return .image(source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        default: return extensionKind(of: node)
        }
    }

    private static func extensionKind(of node: OpaquePointer) -> MarkdownNode.Kind {
        switch string(cmark_node_get_type_string(node)) {
        case "tasklist": return .item(task: cmark_gfm_extensions_get_tasklist_item_checked(node))
        case "table":
            let columns = Int(cmark_gfm_extensions_get_table_columns(node))
            var alignments: [MarkdownNode.TableAlignment] = []
            if let raw = cmark_gfm_extensions_get_table_alignments(node) {
                for i in 0..<columns {
                    switch UInt8(raw[i]) {
                    case UInt8(ascii: "l"): alignments.append(.left)
                    case UInt8(ascii: "c"): alignments.append(.center)
                    case UInt8(ascii: "r"): alignments.append(.right)
                    default: alignments.append(.none)
                    }
                }
            }
            return .table(alignments: alignments)
        case "table_header": return .tableRow(header: true)
        case "table_row": return .tableRow(header: cmark_gfm_extensions_get_table_row_is_header(node) != 0)
        case "table_cell": return .tableCell
        case "strikethrough": return .strikethrough
        default:
            // Footnotes and custom nodes: keep their text, drop the structure.
            return .paragraph
        }
    }
}
