/// A shell text read into simple commands, in order, each with the operator that ends it, and
/// every parameter and expansion in it with where it sits.
public struct ShellScript: Sendable, Equatable {
    /// The text as given.
    public var text: String
    public var commands: [SimpleCommand]
    /// Whether the text has a here-document (`<<EOF`) outside command substitutions.
    public var hasHeredoc: Bool
    /// Operators used anywhere in the text outside command substitutions (newlines excluded).
    public var operators: Set<String>
    /// Every parameter and expansion, at any depth (inside `$(...)`, here-document bodies,
    /// comments too), in order of where it starts.
    public var occurrences: [ShellOccurrence]
    /// Every here-document, at any depth, in order.
    public var heredocs: [ShellHeredoc]
    /// The commands inside command substitutions (`$(...)` and backticks), at any depth.
    public var substitutedCommands: [SimpleCommand]

    init(text: String, lexer: ShellWords.Lexer) {
        self.text = text
        let index = Array(text.indices) + [text.endIndex]
        func range(_ r: Range<Int>) -> Range<String.Index> { index[r.lowerBound]..<index[r.upperBound] }

        hasHeredoc = lexer.sawHeredoc
        (commands, operators) = Self.commands(from: lexer.out, text: text, index: index)
        substitutedCommands = lexer.substitutions.flatMap { Self.commands(from: $0, text: text, index: index).commands }
        occurrences = lexer.found
            .sorted { ($0.start, -$0.end) < ($1.start, -$1.end) }
            .map { f in
                ShellOccurrence(kind: f.kind, written: String(text[range(f.start..<f.end)]), range: range(f.start..<f.end), quoting: f.quoting)
            }
        heredocs = lexer.heredocs
            .sorted { $0.delimiterWord.lowerBound < $1.delimiterWord.lowerBound }
            .map { h in
                ShellHeredoc(delimiter: h.delimiter, isQuoted: h.isQuoted, stripsTabs: h.stripsTabs, delimiterRange: range(h.delimiterWord),
                             bodyRange: range(h.body), terminatorRange: h.terminator.map(range))
            }
    }

    /// The parameters, in order of where they are written.
    public var parameters: [ShellOccurrence] { occurrences.filter { $0.parameterName != nil } }

    /// Parameter names in order of first use.
    public var parameterNames: [String] { Self.uniqueNames(parameters) }

    /// Parameter names written within `range`, in order of first use.
    public func parameterNames(in range: Range<String.Index>) -> [String] {
        Self.uniqueNames(parameters.filter { range.contains($0.range.lowerBound) })
    }

    static func uniqueNames(_ occurrences: [ShellOccurrence]) -> [String] {
        var out: [String] = []
        for case let name? in occurrences.map(\.parameterName) where !out.contains(name) { out.append(name) }
        return out
    }

    static func commands(from tokens: [ShellWords.Token], text: String, index: [String.Index]) -> (commands: [SimpleCommand], operators: Set<String>) {
        var commands: [SimpleCommand] = []
        var operators: Set<String> = []
        var words: [ShellWord] = []
        var redirections: [ShellRedirection] = []
        var start: Int?
        var end = 0
        var line = 1
        var pendingRedirect: String?

        func finish(_ terminator: ShellOperator?) {
            if let op = pendingRedirect {
                redirections.append(ShellRedirection(op: op, target: nil))
                pendingRedirect = nil
            }
            guard let s = start else { return }
            let range = index[s]..<index[end]
            commands.append(SimpleCommand(words: words, redirections: redirections, terminator: terminator, line: line,
                                          source: String(text[range]), range: range))
            words = []
            redirections = []
            start = nil
        }

        for token in tokens {
            switch token.kind {
            case .word(let w):
                if start == nil { start = token.start; line = token.line }
                end = token.end
                if let op = pendingRedirect {
                    redirections.append(ShellRedirection(op: op, target: w))
                    pendingRedirect = nil
                } else {
                    words.append(w)
                }
            case .redirect(let op):
                if start == nil { start = token.start; line = token.line }
                end = token.end
                if let previous = pendingRedirect { redirections.append(ShellRedirection(op: previous, target: nil)) }
                pendingRedirect = op
            case .op(let op):
                if op != .newline { operators.insert(op.rawValue) }
                if start != nil {
                    finish(op)
                } else if op != .newline, var last = commands.popLast() {
                    // `a ; ( b )`: keep the stronger operator on the command before.
                    if last.terminator == .newline || last.terminator == nil { last.terminator = op }
                    commands.append(last)
                }
            }
        }
        finish(nil)
        return (commands, operators)
    }
}
