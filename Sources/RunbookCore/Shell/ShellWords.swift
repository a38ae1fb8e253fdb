/// A POSIX shell-words tokenizer: quotes, escapes, `\` line continuations, comments, operators
/// and redirections, with the dialect's `${NAME}` and `<name>` parameters kept as parameters.
///
/// It reads the way bash reads a line (not the way it expands one): `'...'` is literal, `"..."`
/// removes `\` only before `$`, `` ` ``, `"`, `\` and newline, and `#` starts a comment only at
/// the start of a word. `&&`, `||`, `;`, `|`, `&`, `(`, `)` and redirections are separate tokens.
/// The insides of `$(...)`, `${...}` and backticks are read as shell text too, and here-document
/// bodies for their parameters and expansions, so every place a parameter sits is known
/// (`ShellScript.occurrences`): the one reading of shell text the model, planner and runner share.
public enum ShellWords {
    /// A problem that stops the text from being read as shell words.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }

        public var description: String { "line \(line): \(message)" }
    }

    /// The commands of `text`, each with its words, redirections and the operator that ends it.
    public static func parse(_ text: String) throws(ParseError) -> ShellScript {
        var lexer = Lexer(Array(text))
        _ = try lexer.tokens()
        return ShellScript(text: text, lexer: lexer)
    }

    /// What can be read of `text`: all of it, or the part before the first problem and the
    /// problem. For callers that must say something about text a doc author got wrong (a default
    /// step id); anything that runs the text uses `parse`.
    public static func parsePrefix(_ text: String) -> (script: ShellScript, error: ParseError?) {
        var lexer = Lexer(Array(text))
        do {
            _ = try lexer.tokens()
            return (ShellScript(text: text, lexer: lexer), nil)
        } catch {
            return (ShellScript(text: text, lexer: lexer), error)
        }
    }

    /// The words of `text` as strings, operators included as their own items: the shape of
    /// Python's `shlex.split` (posix) for text without operators.
    public static func split(_ text: String) throws(ParseError) -> [String] {
        var lexer = Lexer(Array(text))
        return try lexer.tokens().compactMap { token in
            switch token.kind {
            case .word(let w): return w.text
            case .op(.newline): return nil
            case .op(let op): return op.rawValue
            case .redirect(let op): return op
            }
        }
    }
}
