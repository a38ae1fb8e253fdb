import CCmarkGFM

/// Parses markdown with cmark-gfm and copies the result into ``MarkdownNode`` values.
///
/// This is the only file that imports `CCmarkGFM`. Every C object it creates is freed before
/// `parse` returns; no pointer escapes.
public enum CommonMarkConverter {
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

    /// Parses `source` (UTF-8 markdown; invalid bytes become U+FFFD) into a document node.
    public static func parse(_ source: String) -> MarkdownNode {
        _ = registered
        let options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES
        guard let parser = cmark_parser_new(options) else { return MarkdownNode(.document, line: 1) }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var utf8 = Array(source.utf8)
        utf8.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    cmark_parser_feed(parser, $0, buf.count)
                }
            }
        }
        guard let root = cmark_parser_finish(parser) else { return MarkdownNode(.document, line: 1) }
        defer { cmark_node_free(root) }
        return convert(root)
    }

    private static func string(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }

    private static func convert(_ node: OpaquePointer) -> MarkdownNode {
        var children: [MarkdownNode] = []
        var child = cmark_node_first_child(node)
        while let c = child {
            children.append(convert(c))
            child = cmark_node_next(c)
        }
        let line = Int(cmark_node_get_start_line(node))
        return MarkdownNode(kind(of: node), line: line, children: children)
    }

    private static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        let type = string(cmark_node_get_type_string(node))
        switch type {
        case "document": return .document
        case "block_quote": return .blockQuote
        case "list":
            return .list(
                ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                start: Int(cmark_node_get_list_start(node)),
                tight: cmark_node_get_list_tight(node) != 0)
        case "item": return .item(task: nil)
        case "tasklist": return .item(task: cmark_gfm_extensions_get_tasklist_item_checked(node))
        case "code_block":
            return .codeBlock(info: string(cmark_node_get_fence_info(node)), literal: string(cmark_node_get_literal(node)))
        case "html_block": return .htmlBlock(string(cmark_node_get_literal(node)))
        case "paragraph": return .paragraph
        case "heading": return .heading(level: Int(cmark_node_get_heading_level(node)))
        case "thematic_break": return .thematicBreak
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
        case "text": return .text(string(cmark_node_get_literal(node)))
        case "softbreak": return .softBreak
        case "linebreak": return .lineBreak
        case "code": return .code(string(cmark_node_get_literal(node)))
        case "html_inline": return .htmlInline(string(cmark_node_get_literal(node)))
        case "emph": return .emphasis
        case "strong": return .strong
        case "strikethrough": return .strikethrough
        case "link": return .link(destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        case "image": return .image(source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
        default:
            // Footnotes and custom nodes: keep their text, drop the structure.
            return .paragraph
        }
    }
}
