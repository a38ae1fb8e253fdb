/// What ``CommonMarkConverter/parse(_:)`` gives: the document tree and what it left out.
public struct ParsedMarkdown: Sendable {
    /// The document node; no node in it is deeper than ``CommonMarkConverter/maxDepth``.
    public var document: MarkdownNode
    /// Parts of the source not copied into `document`, in source order.
    public var problems: [MarkdownProblem]

    public init(document: MarkdownNode, problems: [MarkdownProblem] = []) {
        self.document = document
        self.problems = problems
    }
}
