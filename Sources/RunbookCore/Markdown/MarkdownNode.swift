/// One node of a parsed markdown document: an immutable Swift copy of cmark-gfm's tree.
///
/// The converter walks cmark's tree once and copies every node into these values, so nothing
/// downstream ever holds a C pointer. A tree from the converter is at most
/// ``CommonMarkConverter/maxDepth`` deep, so a walk over it may recurse.
public struct MarkdownNode: Sendable, Equatable {
    /// What kind of node this is, with the data that kind carries.
    public enum Kind: Sendable, Equatable {
        case document
        case blockQuote
        case list(ordered: Bool, start: Int, tight: Bool)
        /// A list item; `task` is nil for a plain item, else whether the box is checked.
        case item(task: Bool?)
        case codeBlock(info: String, literal: String)
        case htmlBlock(String)
        case paragraph
        case heading(level: Int)
        case thematicBreak
        case table(alignments: [TableAlignment])
        case tableRow(header: Bool)
        case tableCell
        case text(String)
        case softBreak
        case lineBreak
        case code(String)
        case htmlInline(String)
        case emphasis
        case strong
        case strikethrough
        case link(destination: String, title: String)
        case image(source: String, title: String)
    }

    public enum TableAlignment: Sendable, Equatable {
        case none, left, center, right
    }

    public var kind: Kind
    public var children: [MarkdownNode]
    /// 1-based line in the source file where the node starts (0 when cmark does not know).
    public var line: Int

    public init(_ kind: Kind, line: Int, children: [MarkdownNode] = []) {
        self.kind = kind
        self.line = line
        self.children = children
    }

    /// The node's text with all markup removed (what a heading "says").
    public var plainText: String {
        var out = ""
        appendPlainText(to: &out)
        return out
    }

    private func appendPlainText(to out: inout String) {
        switch kind {
        case .text(let s), .code(let s): out += s
        case .softBreak, .lineBreak: out += " "
        case .htmlInline: break
        default: for child in children { child.appendPlainText(to: &out) }
        }
    }
}
