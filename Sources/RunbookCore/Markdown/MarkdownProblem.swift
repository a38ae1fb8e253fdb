/// Something in a doc's markdown that ``CommonMarkConverter`` did not copy whole, and where.
///
/// The converter has no file name; ``DocumentParser`` turns each problem into a ``Diagnostic``.
public enum MarkdownProblem: Sendable, Equatable {
    /// Nodes nested deeper than ``CommonMarkConverter/maxDepth`` start on `line`; they and
    /// everything inside them were left out.
    case nestedTooDeep(line: Int)
    /// The doc's tables would make cmark-gfm build more than ``TableCellBudget/maxCells``
    /// cells, counting from the table at `line`; the doc was parsed without tables.
    case tableTooLarge(line: Int, cells: Int)
    /// A line read as a table row or header holds `cells` cells, more than
    /// ``TableCellBudget/maxRowCells``; the doc was parsed without tables.
    case tableRowTooWide(line: Int, cells: Int)
}
