/// A shell text read into simple commands, in order, each with the operator that ends it.
public struct ShellScript: Sendable, Equatable {
    public var commands: [SimpleCommand]
    /// Whether the text has a here-document (`<<EOF`).
    public var hasHeredoc: Bool
    /// Operators used anywhere in the text (newlines excluded).
    public var operators: Set<String>

    init(tokens: [ShellWords.Token], chars: [Character], hasHeredoc: Bool) {
        self.hasHeredoc = hasHeredoc
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
            commands.append(SimpleCommand(words: words, redirections: redirections, terminator: terminator, line: line,
                                          source: String(chars[s..<end])))
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
        self.commands = commands
        self.operators = operators
    }
}
