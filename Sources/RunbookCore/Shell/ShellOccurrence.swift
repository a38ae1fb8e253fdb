/// A dialect parameter (`${NAME}`, `<name>`) or a shell expansion (`$VAR`, `${...}`, `$(...)`,
/// backticks, `$'...'`) found in shell text, with where it sits.
///
/// The tokenizer reports every one, at any depth (inside `$(...)` too), so the callers that
/// rewrite or fill in shell text never scan it again.
public struct ShellOccurrence: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A dialect parameter: `${NAME}` (name `NAME`) or `<name>` (name `name`).
        case parameter(name: String)
        /// Something bash expands at run time, written as `written`.
        case expansion
    }

    public var kind: Kind
    /// The occurrence exactly as written.
    public var written: String
    public var range: Range<String.Index>
    public var quoting: ShellQuoting

    public init(kind: Kind, written: String, range: Range<String.Index>, quoting: ShellQuoting) {
        self.kind = kind
        self.written = written
        self.range = range
        self.quoting = quoting
    }

    /// The parameter's name, when it is a parameter.
    public var parameterName: String? {
        if case .parameter(let name) = kind { return name }
        return nil
    }
}

/// How bash reads the text at a place: which decides how a value can be put there as one word.
public enum ShellQuoting: Sendable, Equatable {
    /// Part of a word outside quotes: an argument, an assignment, a redirection target, a
    /// here-string, or the word inside `${NAME:-word}`. Bash splits and globs an expansion here.
    case unquoted
    /// Inside `"..."`.
    case doubleQuoted
    /// Inside `'...'`: bash reads it literally.
    case singleQuoted
    /// Inside `$'...'`: bash reads it literally, after its backslash escapes (`\'`, `\n`).
    case ansiCQuoted
    /// In a here-document's body: expanded by bash for `<<EOF`, literal for `<<'EOF'`.
    case heredocBody(expands: Bool)
    /// In a `#` comment: bash ignores it.
    case comment

    /// Whether bash expands `$...` written here.
    public var expands: Bool {
        switch self {
        case .unquoted, .doubleQuoted: return true
        case .heredocBody(let expands): return expands
        case .singleQuoted, .ansiCQuoted, .comment: return false
        }
    }
}
