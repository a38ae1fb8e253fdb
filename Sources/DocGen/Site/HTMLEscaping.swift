import RunbookCore
/// Escaping for text and attribute values in generated HTML.
enum HTMLEscaping {
    /// Escapes `&`, `<`, `>`, `"` and `'`: safe in text and in quoted attributes. NUL becomes U+FFFD.
    /// Control and bidi characters, which can hide or reorder text on the page, are spelled out
    /// (`\x1b`, `\u202e`, see `VisibleText`).
    static func escape(_ text: String) -> String {
        let s = VisibleText.escaped(text)
        // Most text needs nothing: check the bytes first and return it as is.
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0 }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 32)
        for byte in s.utf8 {
            switch byte {
            case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]  // &amp;
            case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]  // &lt;
            case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]  // &gt;
            case 0x22: out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]  // &quot;
            case 0x27: out += [0x26, 0x23, 0x33, 0x39, 0x3B]  // &#39;
            case 0: out += [0xEF, 0xBF, 0xBD]  // U+FFFD
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
