/// The site being served, as one value: its files by relative path and how many times one was published.
struct PublishedSite: Sendable {
    var files: [String: [UInt8]] = [:]
    /// 0 before the first publish; each rebuild that succeeds adds one, and open pages reload when it changes.
    var generation = 0
}
