/// The YAML block at the top of a doc: who owns it and when it was last reviewed.
public struct FrontMatter: Sendable, Equatable {
    public static let knownKeys: Set<String> = ["title", "owner", "reviewed", "review_every"]

    public var title: String?
    public var owner: String?
    public var reviewed: CalendarDate?
    /// Review interval in days (`90d` -> 90).
    public var reviewEveryDays: Int?
    /// 1-based line of each key, for findings that point at it.
    public var keyLines: [String: Int]
    /// The line of the opening `---` (0 when the doc has no front matter).
    public var line: Int

    public init(title: String? = nil, owner: String? = nil, reviewed: CalendarDate? = nil,
                reviewEveryDays: Int? = nil, keyLines: [String: Int] = [:], line: Int = 0) {
        self.title = title
        self.owner = owner
        self.reviewed = reviewed
        self.reviewEveryDays = reviewEveryDays
        self.keyLines = keyLines
        self.line = line
    }

    /// `reviewed + review_every`, when both are known.
    public var dueDate: CalendarDate? {
        guard let reviewed, let reviewEveryDays else { return nil }
        return reviewed.adding(days: reviewEveryDays)
    }
}
