import Yams

/// Turns a doc's text into a ``RunbookDocument`` and the problems found on the way.
///
/// Pure: text in, values out. Every problem is a ``Diagnostic`` with the file and line.
public enum DocumentParser {
    /// What parsing a doc gives: the model (as far as it could be built) and every problem.
    public struct Result: Sendable {
        public var document: RunbookDocument
        public var diagnostics: [Diagnostic]
        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    }

    /// Parses a doc, collecting every problem rather than stopping at the first.
    public static func parse(_ source: String, path: String, name: String) -> Result {
        var diagnostics: [Diagnostic] = []
        func report(_ line: Int, _ code: Diagnostic.Code, _ message: String) {
            diagnostics.append(Diagnostic(file: path, line: line, code: code, message: message))
        }

        // Control characters and bidi overrides can make a terminal or a page show something other
        // than what runs: a doc that holds one is an error, at its line.
        for (line, spelled) in VisibleText.hidingLines(in: source) {
            report(line, .hiddenCharacters, "holds \(spelled), a control or bidi character that can hide or reorder text on a terminal or page; remove it (write it as an escape the shell understands, e.g. $'\\x1b', if a command needs it)")
        }
        let (frontMatter, markdown) = splitFrontMatter(source, path: path, report: report)
        let parsed = CommonMarkConverter.parse(markdown)
        for problem in parsed.problems {
            switch problem {
            case .nestedTooDeep(let line):
                report(line, .nestedTooDeep, "markdown nested more than \(CommonMarkConverter.maxDepth) levels deep (lists, quotes, emphasis or links inside one another); runbook leaves out what is nested deeper than that, from here; flatten it")
            case .tableTooLarge(let line, _):
                report(line, .tableTooLarge, "the tables from here on need more than \(grouped(TableCellBudget.maxCells)) cells (rows times columns, counting the empty cells markdown adds to short rows), the most runbook reads in a doc, so it shows this doc's tables as plain text; split the table or keep the data in a file")
            case .tableRowTooWide(let line, let cells):
                report(line, .tableTooLarge, "a table row of \(grouped(cells)) cells, more than the \(grouped(TableCellBudget.maxRowCells)) runbook reads in a row, so it shows this doc's tables as plain text; split the table")
            }
        }

        var builder = TreeBuilder(path: path, report: report)
        // Moved out of `parsed`, so the tree has one owner and visiting it in place copies nothing.
        var body = (consume parsed).document
        builder.visit(&body)
        let sections = builder.finishSections()
        let document = RunbookDocument(
            path: path, name: name, frontMatter: frontMatter, body: body, headings: builder.headings,
            sections: sections, preambleSteps: builder.preambleSteps, links: builder.links)
        builder.validateConditions(document)
        return Result(document: document, diagnostics: diagnostics + builder.lateDiagnostics)
    }

    /// Parses a doc and throws every error found, if any.
    public static func parseOrThrow(_ source: String, path: String, name: String) throws(DiagnosticsError) -> RunbookDocument {
        let result = parse(source, path: path, name: name)
        if !result.errors.isEmpty { throw DiagnosticsError(result.errors) }
        return result.document
    }

    /// `2,000,000`: a count as people read it in a message.
    static func grouped(_ n: Int) -> String {
        var digits = String(n)
        var at = digits.count - 3
        while at > (n < 0 ? 1 : 0) {
            digits.insert(",", at: digits.index(digits.startIndex, offsetBy: at))
            at -= 3
        }
        return digits
    }

    // MARK: - Front matter

    /// Splits off the front matter. The markdown keeps one empty line per front-matter line so
    /// cmark's line numbers are the file's line numbers.
    static func splitFrontMatter(_ source: String, path: String,
                                 report: (Int, Diagnostic.Code, String) -> Void) -> (FrontMatter, String) {
        func isFence(_ line: Substring, closing: Bool) -> Bool {
            let t = line.hasSuffix("\r") ? line.dropLast() : line
            return t == "---" || (closing && t == "...")
        }
        // Lines are found on UTF-8 bytes and only up to the closing fence: this runs for every doc.
        var lines: [Range<String.Index>] = []
        var cursor = source.startIndex
        var end: Int?
        while true {
            let newline = source.utf8[cursor...].firstIndex(of: UInt8(ascii: "\n"))
            let line = cursor..<(newline ?? source.endIndex)
            lines.append(line)
            if lines.count == 1 {
                let first = source[line]
                guard isFence(first.hasPrefix("\u{FEFF}") ? first.dropFirst() : first, closing: false) else {
                    return (FrontMatter(), source)
                }
            } else if isFence(source[line], closing: true) {
                end = lines.count - 1
                break
            }
            guard let newline else { break }
            cursor = source.utf8.index(after: newline)
        }
        guard let end else {
            report(1, .unterminatedFrontMatter, "front matter opened with '---' on line 1 is never closed; add a line '---' after its last key")
            return (FrontMatter(line: 1), source)
        }
        let yaml = lines[1..<end].map { source[$0] }.joined(separator: "\n")
        var matter = FrontMatter(line: 1)
        parseYAML(yaml, lineOffset: 1, into: &matter, report: report)
        // One empty line per front-matter line keeps cmark's line numbers the file's.
        return (matter, String(repeating: "\n", count: end) + source[lines[end].upperBound...])
    }

    private static func parseYAML(_ yaml: String, lineOffset: Int, into matter: inout FrontMatter,
                                  report: (Int, Diagnostic.Code, String) -> Void) {
        let node: Node?
        do {
            // An explicit encoding: Yams's default reads the whole process environment on every call.
            node = try Yams.compose(yaml: yaml, .default, .default, .utf8)
        } catch let error as YamlError {
            let (line, problem) = describe(error)
            report(line + lineOffset, .badYAML, "front matter is not valid YAML: \(problem)")
            return
        } catch {
            report(1 + lineOffset, .badYAML, "front matter is not valid YAML")
            return
        }
        guard let node else { return }
        guard case .mapping(let mapping) = node else {
            report((node.mark?.line ?? 1) + lineOffset, .badYAML, "front matter must be a list of 'key: value' lines")
            return
        }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let line = (keyNode.mark?.line ?? 1) + lineOffset
            matter.keyLines[key] = line
            guard FrontMatter.knownKeys.contains(key) else {
                report(line, .unknownFrontMatterKey,
                       "unknown front-matter key '\(key)'; the keys are title, owner, reviewed, review_every")
                continue
            }
            guard let value = valueNode.scalar?.string else {
                report(line, .badFrontMatterValue, "front-matter key '\(key)' must have a single value")
                continue
            }
            switch key {
            case "title": matter.title = value
            case "owner": matter.owner = value
            case "reviewed":
                if let date = CalendarDate(iso: value) { matter.reviewed = date } else {
                    report(line, .badFrontMatterValue, "reviewed '\(value)' is not a date; write it as YYYY-MM-DD")
                }
            case "review_every":
                if let days = DurationText.days(value) { matter.reviewEveryDays = days } else {
                    report(line, .badFrontMatterValue, "review_every '\(value)' is not an interval; write it as e.g. 90d or 12w")
                }
            default: break
            }
        }
    }

    private static func describe(_ error: YamlError) -> (line: Int, problem: String) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return (mark.line, problem)
        case .reader(let problem, _, _, _): return (1, problem)
        default: return (1, "\(error)")
        }
    }
}

// MARK: - Tree walk

/// Walks the markdown tree once in document order, collecting headings, steps and links.
private struct TreeBuilder {
    let path: String
    let report: (Int, Diagnostic.Code, String) -> Void

    var headings: [Heading] = []
    var links: [DocLink] = []
    var preambleSteps: [Step] = []
    var lateDiagnostics: [Diagnostic] = []

    private var slugger = HeadingSlugger()
    private var stepIDs: [String: Int] = [:]
    /// Open sections, outermost first.
    private var stack: [Section] = []
    private var finished: [Section] = []

    init(path: String, report: @escaping (Int, Diagnostic.Code, String) -> Void) {
        self.path = path
        self.report = report
    }

    /// Visits `node` and its subtree in place (the tree is uniquely owned: no node is copied).
    mutating func visit(_ node: inout MarkdownNode) {
        switch node.kind {
        case .heading(let level):
            let (stripped, explicitID) = Self.stripExplicitID(node.children)
            node.children = stripped
            openHeading(level: level, text: node.plainText.trimmed, explicitID: explicitID, line: node.line)
            collectLinks(node)
            return
        case .codeBlock(let info, let literal):
            if let step = makeStep(info: info, code: literal, line: node.line) { addStep(step) }
            return
        case .link(let destination, _), .image(let destination, _):
            links.append(DocLink(destination: destination, line: node.line))
        default:
            break
        }
        for i in node.children.indices { visit(&node.children[i]) }
    }

    private mutating func collectLinks(_ node: MarkdownNode) {
        for child in node.children {
            switch child.kind {
            case .link(let d, _), .image(let d, _): links.append(DocLink(destination: d, line: child.line))
            default: break
            }
            collectLinks(child)
        }
    }

    // MARK: Headings and sections

    /// Removes a trailing `{#id}` from the heading's last text node.
    static func stripExplicitID(_ children: [MarkdownNode]) -> ([MarkdownNode], String?) {
        guard let last = children.last, case .text(let text) = last.kind else { return (children, nil) }
        let trimmed = text.trimmed
        guard trimmed.hasSuffix("}"), let open = trimmed.range(of: "{#", options: .backwards) else { return (children, nil) }
        let id = String(trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)])
        guard isValidID(id) else { return (children, nil) }
        var out = children
        let before = String(trimmed[..<open.lowerBound])
        let leading = text.prefix { $0 == " " }
        let kept = String(leading) + before.trimmingTrailingSpaces
        if kept.isEmpty { out.removeLast() } else { out[out.count - 1].kind = .text(kept) }
        return (out, id)
    }

    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    private mutating func openHeading(level: Int, text: String, explicitID: String?, line: Int) {
        let id: String
        if let explicitID {
            if slugger.isTaken(explicitID) {
                let other = headings.first { $0.id == explicitID }.map { " (line \($0.line))" } ?? ""
                report(line, .duplicateHeadingID, "heading id '\(explicitID)' is already used by another heading\(other)")
            }
            slugger.reserve(explicitID)
            id = explicitID
        } else {
            id = slugger.slug(text)
        }
        let heading = Heading(level: level, text: text, id: id, hasExplicitID: explicitID != nil, line: line)
        headings.append(heading)
        closeSections(downTo: level)
        stack.append(Section(heading: heading))
    }

    private mutating func closeSections(downTo level: Int) {
        while let top = stack.last, top.heading.level >= level {
            stack.removeLast()
            if stack.isEmpty { finished.append(top) } else { stack[stack.count - 1].children.append(top) }
        }
    }

    mutating func finishSections() -> [Section] {
        closeSections(downTo: 0)
        return finished
    }

    // MARK: Steps

    private mutating func addStep(_ step: Step) {
        if stack.isEmpty { preambleSteps.append(step) } else { stack[stack.count - 1].steps.append(step) }
    }

    private mutating func makeStep(info: String, code: String, line: Int) -> Step? {
        let info = info.trimmed
        let language = String(info.prefix { !$0.isWhitespace && $0 != "{" })
        guard Step.languages.contains(language.lowercased()) else { return nil }
        let rest = info.dropFirst(language.count).trimmed
        var attributes: [(key: String, value: String)] = []
        if rest.hasPrefix("{") {
            guard rest.hasSuffix("}") else {
                report(line, .badStepAttribute, "step attributes opened with '{' are never closed with '}'")
                return nil
            }
            switch StepAttributeParser.parse(String(rest.dropFirst().dropLast())) {
            case .success(let pairs): attributes = pairs
            case .failure(let message):
                report(line, .badStepAttribute, message)
                return nil
            }
        }
        var explicitID: String?
        var kind: StepKind?
        var timeout: Int?
        var confirm: Bool?
        var condition: StepCondition?
        var skip = false
        var seen: Set<String> = []
        for (key, value) in attributes {
            guard Step.attributeKeys.contains(key) else {
                report(line, .unknownStepAttribute, "unknown step attribute '\(key)'; the attributes are id, kind, timeout, confirm, if, skip")
                continue
            }
            if !seen.insert(key).inserted { report(line, .badStepAttribute, "step attribute '\(key)' is given twice") }
            switch key {
            case "id":
                if TreeBuilder.isValidID(value) { explicitID = value } else {
                    report(line, .badStepAttribute, "step id '\(value)' may only use letters, digits, '-' and '_'")
                }
            case "kind":
                if let k = StepKind(rawValue: value) { kind = k } else {
                    report(line, .badStepAttribute, "step kind '\(value)' is not one of diagnose, act, verify")
                }
            case "timeout":
                if let s = DurationText.seconds(value) { timeout = s } else {
                    report(line, .badTimeout, "timeout '\(value)' is not a duration; write it as e.g. 30s, 5m or 1h")
                }
            case "confirm":
                if let b = Bool(value) { confirm = b } else {
                    report(line, .badStepAttribute, "confirm '\(value)' must be true or false")
                }
            case "skip":
                if let b = Bool(value) { skip = b } else {
                    report(line, .badStepAttribute, "skip '\(value)' must be true or false")
                }
            case "if":
                if let c = StepCondition(value) { condition = c } else {
                    report(line, .badCondition, "condition '\(value)' must be failed:STEP or ok:STEP")
                }
            default: break
            }
        }
        let script = StepScript(language: language, code: code)
        let id: String
        if let explicitID {
            if let other = stepIDs[explicitID] {
                report(line, .duplicateStepID, "step id '\(explicitID)' is already used by the step on line \(other)")
            }
            id = explicitID
        } else {
            id = uniqueDerivedID(script.derivedID)
        }
        stepIDs[id] = stepIDs[id] ?? line
        let finalKind = kind ?? (script.mayChangeState ? .act : .diagnose)
        return Step(
            id: id, hasExplicitID: explicitID != nil, language: language, kind: finalKind, hasExplicitKind: kind != nil,
            timeoutSeconds: timeout ?? finalKind.defaultTimeoutSeconds, confirm: confirm ?? (finalKind == .act),
            condition: condition, skip: skip, code: code, parameters: script.parameters, line: line,
            sectionID: stack.last?.heading.id ?? "")
    }

    private func uniqueDerivedID(_ base: String) -> String {
        if stepIDs[base] == nil { return base }
        var n = 2
        while stepIDs["\(base)-\(n)"] != nil { n += 1 }
        return "\(base)-\(n)"
    }

    /// Conditions must name a step that comes earlier in the same doc.
    mutating func validateConditions(_ document: RunbookDocument) {
        var earlier: Set<String> = []
        for step in document.steps {
            if let c = step.condition, !earlier.contains(c.stepID) {
                lateDiagnostics.append(Diagnostic(
                    file: path, line: step.line, code: .badCondition,
                    message: "step '\(step.id)' has condition if=\(c) but no earlier step has id '\(c.stepID)'"))
            }
            earlier.insert(step.id)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace. Walks Unicode scalars from both ends:
    /// it runs for every line, heading and step of every doc, so it must not copy.
    public var trimmed: String {
        let view = unicodeScalars
        var start = view.startIndex
        var end = view.endIndex
        while start < end, view[start].properties.isWhitespace { start = view.index(after: start) }
        while start < end {
            let previous = view.index(before: end)
            guard view[previous].properties.isWhitespace else { break }
            end = previous
        }
        return String(self[start..<end])
    }

    var trimmingTrailingSpaces: String {
        String(String(self).reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
