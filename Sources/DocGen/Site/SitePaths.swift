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
}
