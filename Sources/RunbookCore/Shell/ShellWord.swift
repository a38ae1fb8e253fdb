/// One shell word after quote removal, split into the pieces the planner cares about.
///
/// `--cluster=${CLUSTER}` is a literal `--cluster=` followed by the parameter `CLUSTER`;
/// `"$(whoami)"` is an expansion the planner cannot evaluate, so its command stays a shell step
/// (`$(date -u +FORMAT)` is the exception: see `DateSubstitution`).
public struct ShellWord: Sendable, Equatable, CustomStringConvertible {
    public enum Part: Sendable, Equatable {
        /// Text after quote and escape removal.
        case literal(String)
        /// A dialect parameter: `${NAME}` (name `NAME`) or `<name>` (name `name`), with how it was
        /// written; in single quotes too, where the dialect fills it in though bash would not.
        case parameter(name: String, written: String)
        /// Anything bash would expand at run time: `$VAR`, `$(...)`, backticks, `~`, `$'...'`, unquoted globs.
        case expansion(String)
    }

    public var parts: [Part]
    /// The word exactly as written in the source (quotes included).
    public var raw: String

    public init(parts: [Part], raw: String) {
        self.parts = parts
        self.raw = raw
    }

    /// The word with quotes removed; parameters and expansions shown as written.
    public var text: String {
        parts.map { part in
            switch part {
            case .literal(let s): return s
            case .parameter(_, let written): return written
            case .expansion(let s): return s
            }
        }.joined()
    }

    /// The literal text when the word has no parameter and no expansion.
    public var literal: String? {
        var out = ""
        for part in parts {
            guard case .literal(let s) = part else { return nil }
            out += s
        }
        return out
    }

    /// Whether bash must expand something in it (`$(date -u +FORMAT)` does not count: the runner
    /// evaluates it at bind time, see `DateSubstitution`).
    public var hasExpansion: Bool {
        parts.contains { if case .expansion(let e) = $0 { return DateSubstitution.parse(e) == nil } else { return false } }
    }

    public var parameterNames: [String] {
        parts.compactMap { if case .parameter(let name, _) = $0 { return name } else { return nil } }
    }

    public var description: String { text }
}

/// An operator between simple commands.
public enum ShellOperator: String, Sendable, Equatable, Codable {
    case and = "&&"
    case or = "||"
    case semicolon = ";"
    case pipe = "|"
    case pipeAll = "|&"
    case background = "&"
    case newline = "\n"
    case openParen = "("
    case closeParen = ")"
    case doubleSemicolon = ";;"
}

/// A redirection such as `> out.txt`, `2>&1` or `<<EOF`.
public struct ShellRedirection: Sendable, Equatable {
    /// The operator with its file descriptor number, if written: `>`, `>>`, `2>`, `2>&`, `&>`, `<<`.
    public var op: String
    public var target: ShellWord?

    public init(op: String, target: ShellWord?) {
        self.op = op
        self.target = target
    }
}

/// A command with its arguments and redirections, and the operator that ends it.
public struct SimpleCommand: Sendable, Equatable {
    public var words: [ShellWord]
    public var redirections: [ShellRedirection]
    /// The operator that ends this command (`nil` at the end of the text).
    public var terminator: ShellOperator?
    /// Line of the command's first word, 1-based within the text.
    public var line: Int
    /// The command's source text as written (from its first to its last token).
    public var source: String
    /// Where `source` is in the text that was read.
    public var range: Range<String.Index>

    public init(words: [ShellWord], redirections: [ShellRedirection], terminator: ShellOperator?, line: Int, source: String,
                range: Range<String.Index>) {
        self.words = words
        self.redirections = redirections
        self.terminator = terminator
        self.line = line
        self.source = source
        self.range = range
    }
}
