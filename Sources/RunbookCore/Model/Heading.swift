/// A heading with the id its anchor gets on the site (and on GitHub, when none is written).
public struct Heading: Sendable, Equatable {
    public var level: Int
    /// The heading's text without markup and without a trailing `{#id}`.
    public var text: String
    public var id: String
    public var hasExplicitID: Bool
    public var line: Int

    public init(level: Int, text: String, id: String, hasExplicitID: Bool, line: Int) {
        self.level = level
        self.text = text
        self.id = id
        self.hasExplicitID = hasExplicitID
        self.line = line
    }
}

/// A heading and everything under it up to the next heading of the same or a higher level.
public struct Section: Sendable, Equatable {
    public var heading: Heading
    /// Steps directly under this heading (not under a nested one), in document order.
    public var steps: [Step]
    public var children: [Section]

    public init(heading: Heading, steps: [Step] = [], children: [Section] = []) {
        self.heading = heading
        self.steps = steps
        self.children = children
    }

    /// Every step under this heading, nested headings included, in document order.
    public var allSteps: [Step] {
        var out = steps
        for child in children { out += child.allSteps }
        return out.sorted { $0.line < $1.line }
    }

    /// A section `runbook exec DOC#ID` runs: it has steps of its own, or an explicit id and
    /// steps below it.
    public var isExecutable: Bool {
        !steps.isEmpty || (heading.hasExplicitID && children.contains { !$0.allSteps.isEmpty })
    }
}

/// A link written in a doc, with where it was written.
public struct DocLink: Sendable, Equatable {
    public var destination: String
    public var line: Int

    public init(destination: String, line: Int) {
        self.destination = destination
        self.line = line
    }
}
