/// Characters that can hide or reorder what a reader sees, and their visible spellings.
///
/// A terminal obeys control characters and escape sequences (`\x1b[1A` moves the cursor up and
/// can paint over a line); a terminal or a browser obeys Unicode bidi controls (`\u202e` shows
/// the text after it backwards). A plan, a page or an audit record that shows them raw can show
/// something other than what will run, so everything runbook shows spells them out instead.
public enum VisibleText {
    /// Whether `scalar` can hide or reorder text: C0 and C1 controls other than tab and line
    /// feed (a carriage return too: it moves the cursor back over the line), DEL, and the bidi
    /// embedding, override, isolate and mark characters.
    public static func isHiding(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return false
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Whether a UTF-8 byte can start a hiding character: a C0 control other than tab and line
    /// feed, DEL, or the lead byte of a C1 control (`C2`), U+061C (`D8`) or a bidi control (`E2`).
    /// Text runs through here byte by byte (every doc, every text node of every page), so most
    /// of it is never decoded.
    static func mayStartHiding(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2
    }

    /// `text` with every hiding character spelled out: `\x1b`, `\r`, `\u202e`. A CR that ends a
    /// line before its LF (a CRLF file) is left alone.
    public static func escaped(_ text: String) -> String {
        var mayHide = false
        for byte in text.utf8 where mayStartHiding(byte) {
            mayHide = true
            break
        }
        guard mayHide, text.unicodeScalars.contains(where: isHiding) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            if s == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" {
                out.append(s)
            } else if isHiding(s) {
                out.append(contentsOf: spelled(s).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// `\x1b` for a control below U+0100, `\u202e` for the others.
    public static func spelled(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex
            : "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Every line (1-based) of `text` holding a hiding character, with the first one spelled.
    /// Lines end at LF (a CR just before it is a CRLF ending); NUL is left out: CommonMark turns it
    /// into U+FFFD, so it cannot hide anything on a page or in a plan.
    public static func hidingLines(in text: String) -> [(line: Int, spelled: String)] {
        var found: [(Int, String)] = []
        var line = 1
        var reported = false
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0A {
                line += 1
                reported = false
                i += 1
                continue
            }
            guard !reported, mayStartHiding(byte) else {
                i += 1
                continue
            }
            // Decode the one scalar that starts here (a String's bytes are valid UTF-8).
            let value: UInt32
            let length = byte < 0x80 ? 1 : byte == 0xE2 ? 3 : 2
            guard i + length <= bytes.count else { break }
            switch length {
            case 1: value = UInt32(byte)
            case 2: value = UInt32(byte & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
            default: value = UInt32(byte & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            }
            i += length
            guard let scalar = Unicode.Scalar(value), isHiding(scalar), value != 0 else { continue }
            if scalar == "\r", i == bytes.count || bytes[i] == 0x0A { continue }
            found.append((line, spelled(scalar)))
            reported = true
        }
        return found
    }

    /// JSON text with every hiding character written as a JSON `\uXXXX` escape: the same value
    /// for a program that reads it, visible to a person who looks at it.
    public static func jsonEscaped(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: isHiding) else { return json }
        var out = String.UnicodeScalarView()
        for s in json.unicodeScalars {
            if isHiding(s), s.value > 0x1F {
                let hex = String(s.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
