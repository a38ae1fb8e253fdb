extension ShellScript {
    /// The text with each range replaced: ranges the tokenizer reported (`occurrences`,
    /// `heredocs`), which never partly overlap; of two that overlap, the one that starts first wins.
    public func replacing(_ edits: [(range: Range<String.Index>, text: String)]) -> String {
        var out = ""
        var last = text.startIndex
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where edit.range.lowerBound >= last {
            out += text[last..<edit.range.lowerBound]
            out += edit.text
            last = edit.range.upperBound
        }
        out += text[last...]
        return out
    }
}
