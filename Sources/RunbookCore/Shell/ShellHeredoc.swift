/// A here-document (`<<EOF`, `<<-EOF`, `<<'EOF'`): where its delimiter and body are.
public struct ShellHeredoc: Sendable, Equatable {
    /// The delimiter after quote removal: `EOF` for `<<'EOF'`.
    public var delimiter: String
    /// Whether the delimiter was quoted (any `'`, `"` or `\`), so bash reads the body literally.
    public var isQuoted: Bool
    /// `<<-`: bash drops leading tabs from the body and the closing line.
    public var stripsTabs: Bool
    /// The delimiter word as written after `<<`.
    public var delimiterRange: Range<String.Index>
    /// The body: from the line after the command to the closing line (not included).
    public var bodyRange: Range<String.Index>
    /// The delimiter on the closing line; nil when the body runs to the end of the text.
    public var terminatorRange: Range<String.Index>?

    public init(delimiter: String, isQuoted: Bool, stripsTabs: Bool, delimiterRange: Range<String.Index>,
                bodyRange: Range<String.Index>, terminatorRange: Range<String.Index>?) {
        self.delimiter = delimiter
        self.isQuoted = isQuoted
        self.stripsTabs = stripsTabs
        self.delimiterRange = delimiterRange
        self.bodyRange = bodyRange
        self.terminatorRange = terminatorRange
    }
}
