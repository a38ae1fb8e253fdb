extension DocumentParser {
    /// Parses a doc as read from disk: bytes that are not UTF-8 show as U+FFFD (�), with a
    /// warning at the line of the first of them, so a file saved in another encoding is noticed.
    public static func parse(bytes: [UInt8], path: String, name: String) -> Result {
        var result = parse(String(decoding: bytes, as: UTF8.self), path: path, name: name)
        if let line = firstInvalidUTF8Line(bytes) {
            result.diagnostics.insert(Diagnostic(
                file: path, line: line, severity: .warning, code: .invalidUTF8,
                message: "holds bytes that are not UTF-8 (the first one on this line); they show as \u{FFFD} (U+FFFD); save the file as UTF-8"), at: 0)
        }
        return result
    }

    /// The 1-based line of the first byte that is not part of valid UTF-8, or nil when all are.
    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error:
                return 1 + bytes[..<offset].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            case .emptyInput: return nil
            }
        }
    }
}
