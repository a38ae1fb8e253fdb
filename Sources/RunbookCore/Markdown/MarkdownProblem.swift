/// Something in a doc's markdown that ``CommonMarkConverter`` did not copy whole, and where.
///
/// The converter has no file name; ``DocumentParser`` turns each problem into a ``Diagnostic``.
public enum MarkdownProblem: Sendable, Equatable {
    /// Nodes nested deeper than ``CommonMarkConverter/maxDepth`` start on `line`; they and
    /// everything inside them were left out.
    case nestedTooDeep(line: Int)
}
