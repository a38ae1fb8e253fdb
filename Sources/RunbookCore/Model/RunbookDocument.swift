/// One parsed doc: front matter, the markdown tree, headings with ids, sections and steps.
public struct RunbookDocument: Sendable, Equatable {
    /// Path as the doc set knows it, relative to the project (`docs/operations/runbook.md`).
    public var path: String
    /// The doc's name in `runbook exec NAME#ID` and its page `NAME.html`: the file name without `.md`,
    /// relative to the docs folder (`runbook`, or `team/oncall` for a nested file).
    public var name: String
    public var frontMatter: FrontMatter
    /// The markdown tree, with `{#id}` suffixes already removed from heading text.
    public var body: MarkdownNode
    /// Every heading in document order.
    public var headings: [Heading]
    /// Top-level sections (each heading's subtree).
    public var sections: [Section]
    /// Steps written before the first heading (not executable by `DOC#ID`).
    public var preambleSteps: [Step]
    /// Every link and image source in document order.
    public var links: [DocLink]

    public init(path: String, name: String, frontMatter: FrontMatter, body: MarkdownNode, headings: [Heading],
                sections: [Section], preambleSteps: [Step], links: [DocLink]) {
        self.path = path
        self.name = name
        self.frontMatter = frontMatter
        self.body = body
        self.headings = headings
        self.sections = sections
        self.preambleSteps = preambleSteps
        self.links = links
    }

    /// The front-matter title, else the first level-1 heading, else the name.
    public var title: String {
        if let t = frontMatter.title, !t.isEmpty { return t }
        return headings.first { $0.level == 1 }?.text ?? name
    }

    /// Every step in document order.
    public var steps: [Step] {
        var out = preambleSteps
        for s in sections { out += s.allSteps }
        return out.sorted { $0.line < $1.line }
    }

    /// Every section, flattened in document order.
    public var allSections: [Section] {
        var out: [Section] = []
        func walk(_ s: Section) {
            out.append(s)
            s.children.forEach(walk)
        }
        sections.forEach(walk)
        return out
    }

    /// Sections `runbook exec` can run, in document order.
    public var executableSections: [Section] { allSections.filter(\.isExecutable) }

    /// The section whose heading has `id`.
    public func section(id: String) -> Section? { allSections.first { $0.heading.id == id } }

    public func heading(id: String) -> Heading? { headings.first { $0.id == id } }
}

extension RunbookDocument {
    /// The section to name in `runbook exec DOC#SECTION --only STEP` for `step`: the nearest
    /// heading with an explicit `{#id}` above it (the scenario an on-call engineer knows by name),
    /// else the heading it is directly under.
    public func commandSection(for step: Step) -> String {
        func search(_ section: Section, nearestExplicit: String?) -> String? {
            let explicit = section.heading.hasExplicitID ? section.heading.id : nearestExplicit
            if section.steps.contains(where: { $0.line == step.line }) { return explicit ?? section.heading.id }
            for child in section.children {
                if let found = search(child, nearestExplicit: explicit) { return found }
            }
            return nil
        }
        for section in sections {
            if let found = search(section, nearestExplicit: nil) { return found }
        }
        return step.sectionID
    }
}
