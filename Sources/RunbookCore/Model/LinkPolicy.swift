import Foundation

/// Decides which link destinations may appear in a page, and how doc links map to pages.
public enum LinkPolicy {
    /// Schemes that are allowed in `href`/`src`; anything else with a scheme is dropped.
    static let allowedSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    /// The scheme of `url` (lowercased), if it has one.
    static func scheme(of url: String) -> String? {
        // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
        let cleaned = url.unicodeScalars.filter { $0.value > 0x20 }
        var scheme = ""
        for scalar in cleaned {
            if scalar == ":" { return scheme.isEmpty ? nil : scheme.lowercased() }
            guard scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "+" || scalar == "-" || scalar == "." else { return nil }
            scheme.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// Whether a destination is safe to emit (relative, fragment, or an allowed scheme).
    public static func isSafe(_ url: String) -> Bool {
        guard let s = scheme(of: url) else { return true }
        return allowedSchemes.contains(s)
    }

    /// Whether the destination points at another doc or an anchor in this one (to be checked).
    static func isInternal(_ url: String) -> Bool {
        scheme(of: url) == nil && !url.hasPrefix("//")
    }

    /// Splits `runbook.md#rollback` into path and fragment.
    static func split(_ url: String) -> (path: String, fragment: String?) {
        guard let hash = url.firstIndex(of: "#") else { return (url, nil) }
        return (String(url[..<hash]), String(url[url.index(after: hash)...]))
    }

    /// Percent-encodes characters that may not appear raw in an attribute URL.
    public static func encode(_ url: String) -> String {
        var out = ""
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: ":"),
                 UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                 UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "("), UInt8(ascii: ")"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "&"): out += "&amp;"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
