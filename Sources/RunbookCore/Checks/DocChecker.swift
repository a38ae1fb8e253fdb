import Foundation

/// The checks behind `runbook check`: what makes a doc set stale or broken.
///
/// Pure apart from the two probes it is given (files on disk, the built site), so tests can run
/// every check on fixtures. Findings go to the caller as ``Diagnostic`` values.
public struct DocChecker {
    /// Due within this many days is a warning.
    public static let dueSoonDays = 14
    /// Keys every environment must set for the docs' steps to have a target.
    public static let requiredEnvironmentKeys = ["region", "aws_account", "cluster", "service", "log_group", "health_url"]
    /// Front-matter keys every doc must have.
    public static let requiredFrontMatterKeys = ["title", "owner", "reviewed", "review_every"]

    public let docSet: DocSet
    public let today: CalendarDate
    /// Whether a path (relative to the project root) exists, and whether it is executable.
    public var fileProbe: (String) -> (exists: Bool, executable: Bool)
    /// Extra per-step findings (the executor's planner plugs in here).
    public var stepCheck: ((Step, RunbookDocument) -> [Diagnostic])?

    public init(docSet: DocSet, today: CalendarDate) {
        self.docSet = docSet
        self.today = today
        let root = docSet.root
        fileProbe = { path in
            let full = root.appendingPathComponent(path).path
            return (FileManager.default.fileExists(atPath: full), FileManager.default.isExecutableFile(atPath: full))
        }
    }

    /// Every finding for the doc set and its config, sorted by file and line.
    public func run() -> [Diagnostic] {
        var out = docSet.diagnostics
        if docSet.documents.isEmpty {
            out.append(Diagnostic(file: docSet.config.path, line: 1, code: .config,
                                  message: "no docs (*.md) in \(docSet.config.site.docs); set [site] docs to the docs folder"))
        }
        for doc in docSet.documents {
            out += frontMatterFindings(doc)
            out += stepFindings(doc)
            out += execReferenceFindings(doc)
            out += fileLinkFindings(doc)
        }
        out += configFindings()
        return out.sorted { ($0.file, $0.line, $0.code.rawValue) < ($1.file, $1.line, $1.code.rawValue) }
    }

    // MARK: - Front matter

    func frontMatterFindings(_ doc: RunbookDocument) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let fm = doc.frontMatter
        func finding(_ line: Int, _ severity: Diagnostic.Severity, _ code: Diagnostic.Code, _ message: String) {
            out.append(Diagnostic(file: doc.path, line: line, severity: severity, code: code, message: message))
        }
        let missing = Self.requiredFrontMatterKeys.filter { fm.keyLines[$0] == nil }
        if !missing.isEmpty {
            finding(max(fm.line, 1), .error, .missingFrontMatterKey,
                    "front matter lacks \(missing.joined(separator: ", ")); every doc needs title, owner, reviewed and review_every")
        }
        guard let reviewed = fm.reviewed else { return out }
        let line = fm.keyLines["reviewed"] ?? 1
        if reviewed > today {
            finding(line, .error, .reviewInFuture, "reviewed \(reviewed) is in the future (today is \(today))")
            return out
        }
        guard let due = fm.dueDate else { return out }
        if due < today {
            finding(line, .error, .reviewOverdue,
                    "review overdue: reviewed \(reviewed), due \(due) (\(today.daysSinceEpoch - due.daysSinceEpoch) days ago); review the doc and update 'reviewed'")
        } else if due.daysSinceEpoch - today.daysSinceEpoch <= Self.dueSoonDays {
            finding(line, .warning, .reviewDueSoon, "review due \(due), in \(due.daysSinceEpoch - today.daysSinceEpoch) days")
        }
        return out
    }

    // MARK: - Steps

    func stepFindings(_ doc: RunbookDocument) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for step in doc.steps {
            for name in step.parameters {
                // `<name>` is the operator's to give (`--set name=VALUE`) or a resolver's; only
                // `${NAME}` promises a value from every environment in runbook.toml.
                guard step.code.contains("${\(name)}") else { continue }
                let lacking = docSet.config.environmentNames.filter { docSet.config.environments[$0]?.parameter(name) == nil }
                if !lacking.isEmpty {
                    out.append(Diagnostic(file: doc.path, line: step.line, code: .stepPlan,
                                          message: "step '\(step.id)' uses ${\(name)}, which environment \(lacking.joined(separator: ", ")) in \(docSet.config.path) does not set"))
                }
            }
            for path in Self.scriptPaths(in: step.code) {
                let probe = fileProbe(path)
                if !probe.exists {
                    out.append(Diagnostic(file: doc.path, line: step.line, code: .missingFile,
                                          message: "step '\(step.id)' runs \(path), which does not exist"))
                } else if !probe.executable {
                    out.append(Diagnostic(file: doc.path, line: step.line, code: .missingFile,
                                          message: "step '\(step.id)' runs \(path), which is not executable (chmod +x \(path))"))
                }
            }
            if let stepCheck { out += stepCheck(step, doc) }
        }
        return out
    }

    /// Scripts of the repository that a step runs: words starting with `./` or `scripts/`.
    static func scriptPaths(in code: String) -> [String] {
        var out: [String] = []
        for raw in code.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == ";" || $0 == "|" || $0 == "&" || $0 == "(" }) {
            var word = String(raw).trimmingCharacters(in: CharacterSet(charactersIn: "\"'`"))
            guard word.hasPrefix("./") || word.hasPrefix("scripts/") else { continue }
            if word.hasPrefix("./") { word.removeFirst(2) }
            guard !word.isEmpty, !word.contains("$"), !word.contains("<"), !out.contains(word) else { continue }
            // Only things that look like files of the repo (a script or a path with a folder).
            if word.contains("/") || word.hasSuffix(".sh") || word.hasSuffix(".py") { out.append(word) }
        }
        return out
    }

    // MARK: - `runbook exec DOC#ID` written in prose

    func execReferenceFindings(_ doc: RunbookDocument) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func scan(_ text: String, line: Int) {
            for target in Self.execTargets(in: text) {
                let parts = target.split(separator: "#", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                guard let other = docSet.document(named: parts[0]) else {
                    out.append(Diagnostic(file: doc.path, line: line, code: .execReference,
                                          message: "'runbook exec \(target)' names doc '\(parts[0])', which is not in \(docSet.config.site.docs)"))
                    continue
                }
                if other.section(id: parts[1])?.isExecutable != true {
                    let why = other.section(id: parts[1]) == nil ? "has no section '\(parts[1])'" : "section '\(parts[1])' has no steps"
                    out.append(Diagnostic(file: doc.path, line: line, code: .execReference,
                                          message: "'runbook exec \(target)': \(other.name) \(why)"))
                }
            }
        }
        func walk(_ node: MarkdownNode, line: Int) {
            let here = node.line > 0 ? node.line : line
            switch node.kind {
            case .text(let s), .code(let s): scan(s, line: here)
            case .codeBlock(_, let literal): scan(literal, line: here)
            default: break
            }
            for c in node.children { walk(c, line: here) }
        }
        walk(doc.body, line: 1)
        return out
    }

    /// `DOC#ID` after each `runbook exec ` in `text`.
    static func execTargets(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: "runbook exec ") {
            rest = rest[r.upperBound...]
            let word = rest.prefix { !$0.isWhitespace && $0 != "`" && $0 != "\"" && $0 != "'" && $0 != ")" }
            if word.contains("#"), !word.hasPrefix("-"), !word.contains("DOC#") { out.append(String(word)) }
        }
        return out
    }

    // MARK: - Links to files

    func fileLinkFindings(_ doc: RunbookDocument) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for link in doc.links {
            guard case .file(let rel) = docSet.resolve(link.destination, from: doc) else { continue }
            let path = rel.hasPrefix("/") ? String(rel.dropFirst()) : docSet.config.site.docs + "/" + rel
            if !fileProbe(DocSet.normalize(path.split(separator: "/").map(String.init))).exists {
                out.append(Diagnostic(file: doc.path, line: link.line, code: .missingFile,
                                      message: "link '\(link.destination)' points at \(path), which does not exist"))
            }
        }
        return out
    }

    // MARK: - runbook.toml

    func configFindings() -> [Diagnostic] {
        let config = docSet.config
        var out: [Diagnostic] = []
        func finding(_ line: Int, _ message: String) {
            out.append(Diagnostic(file: config.path, line: line, code: .config, message: message))
        }
        if config.environments.isEmpty {
            finding(1, "no [env.NAME] environments; runs need at least staging and production")
        }
        for name in config.environmentNames {
            guard let env = config.environments[name] else { continue }
            let missing = Self.requiredEnvironmentKeys.filter { env.value(forKey: $0) == nil }
            if !missing.isEmpty {
                finding(env.line, "environment '\(name)' lacks \(missing.joined(separator: ", "))")
            }
            for key in ["health_url", "prometheus_url", "redis_url"] {
                if let url = env.value(forKey: key), Self.hasSecretQuery(url) {
                    finding(env.line, "environment '\(name)': \(key) carries a token in its query; keep secrets in environment variables")
                }
            }
        }
        if let prod = config.environments["production"] {
            if !prod.isProtected { finding(prod.line, "environment 'production' must be protected (protected = true)") }
        } else if !config.environments.isEmpty {
            finding(1, "no [env.production]; the production environment must exist and be protected")
        }
        return out
    }

    static func hasSecretQuery(_ url: String) -> Bool {
        guard let q = url.firstIndex(of: "?") else { return false }
        let query = url[url.index(after: q)...].lowercased()
        return ["token=", "secret=", "password=", "key=", "signature="].contains { query.contains($0) }
    }
}
