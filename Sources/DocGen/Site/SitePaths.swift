import RunbookCore
/// Where each doc's page lives in the site, and relative links between pages.
public enum SitePaths {
    /// `runbook` -> `runbook.html`; `team/oncall` -> `team/oncall.html`.
    public static func page(for doc: String) -> String { doc + ".html" }

    /// The path from the page of `from` to the page of `doc`.
    public static func relativePage(for doc: String, from: String) -> String {
        prefix(from) + page(for: doc)
    }

    /// `../` once per folder level of `doc`'s page, to reach the site root.
    public static func prefix(_ doc: String) -> String {
        String(repeating: "../", count: doc.split(separator: "/").count - 1)
    }

    /// A page path as it goes into an `href`: every byte but ASCII letters, digits and `-._~/` is
    /// percent-encoded, so the result is safe in an attribute, in JSON and in a sitemap.
    static func href(forPage path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
