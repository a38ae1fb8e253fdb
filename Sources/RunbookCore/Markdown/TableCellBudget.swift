/// Checks, before cmark-gfm parses a doc, that its tables stay within what the table extension
/// can build in bounded time and memory.
///
/// cmark-gfm 0.29.0.gfm.6 (Debian 12's) builds tables in ways that make a small doc costly:
/// - it fills every short row up to the header's width, so a 40 KB doc with a 10,000-column
///   header and 1,000 one-word lines asks for 10 million cells (about 500 bytes each);
/// - it keeps a row's cells in a list it appends to by walking it, so a line of n cells costs
///   n²: 40,000 cells take seconds;
/// - at each line that looks like a delimiter row (`|---|`) it parses every line of the
///   paragraph above as a possible header, again at n² a line.
///
/// The check reads lines once and bounds all three from above, without parsing markdown: it
/// takes any line of `|`, `-`, `:`, spaces and container markers with a `|` and a `-` for a
/// delimiter row, and every line after it, up to a blank line, for a row. A doc over budget is
/// parsed without the table extension, and reported.
struct TableCellBudget {
    /// The most cells cmark-gfm may be asked to make for a doc's tables (each time it reads a
    /// line as a row or header, plus the cells it adds to short rows): about 1 GB at most, and
    /// twice a 5,000-row, 200-column table.
    static let maxCells = 2_000_000
    /// The most cells in one line read as a table row or header: a row costs its cells squared.
    static let maxRowCells = 1_000

    /// The first table problem in `utf8`, or nil when its tables are within budget.
    static func problem(in utf8: [UInt8]) -> MarkdownProblem? {
        utf8.withUnsafeBufferPointer { problem(in: $0) }
    }

    private static func problem(in bytes: UnsafeBufferPointer<UInt8>) -> MarkdownProblem? {
        var cells = 0
        var line = 0
        // The current block of non-blank lines: its lines' cells so far, its widest line, and
        // once a delimiter-like line is seen, the columns of the table it may start.
        var blockCells = 0
        var blockWidest = (cells: 0, line: 0)
        var table: (columns: Int, line: Int)?
        var start = 0
        while start < bytes.count {
            line += 1
            var end = start
            var pipes = 0
            var dashRuns = 0
            var blank = true
            var delimiterLike = true
            var previous: UInt8 = 0
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
                let b = bytes[end]
                switch b {
                case UInt8(ascii: "|"): pipes += 1; blank = false
                case UInt8(ascii: "-"):
                    if previous != UInt8(ascii: "-") { dashRuns += 1 }
                    blank = false
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ">"): break
                case UInt8(ascii: ":"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: ")"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"):
                    blank = false
                default:
                    blank = false
                    delimiterLike = false
                }
                previous = b
                end += 1
            }
            start = end + 1
            if blank {
                blockCells = 0
                blockWidest = (0, 0)
                table = nil
                continue
            }
            let lineCells = pipes + 1
            if lineCells > blockWidest.cells { blockWidest = (lineCells, line) }
            blockCells += lineCells
            if let t = table {
                // A row: its own cells, or the header's width when it is shorter.
                if lineCells > maxRowCells { return .tableRowTooWide(line: line, cells: lineCells) }
                cells += max(t.columns, lineCells)
                if cells > maxCells { return .tableTooLarge(line: t.line, cells: cells) }
            }
            if delimiterLike && pipes > 0 && dashRuns > 0 {
                // Every line of the block so far may be read again as the header.
                if blockWidest.cells > maxRowCells { return .tableRowTooWide(line: blockWidest.line, cells: blockWidest.cells) }
                cells += blockCells
                // The table starts at the line above (its header), or here if there is none.
                let header = blockCells > lineCells ? line - 1 : line
                table = (max(table?.columns ?? 0, dashRuns), table?.line ?? header)
                if cells > maxCells { return .tableTooLarge(line: table?.line ?? header, cells: cells) }
            }
        }
        return nil
    }
}
