/// A light, conservative reading of a step's shell text, enough for the model: which parameters
/// it uses, a default id, and whether it may change state.
///
/// The text is read by `ShellWords`, the tokenizer the executor plans with; this reading only has
/// to be safe: anything it does not know to be read-only counts as changing state, and so does a
/// block that does not parse (`runbook check` and `runbook exec` report why, at its line).
struct StepScript {
    /// The block's commands: everything when it parses, else what parsed before the problem.
    let script: ShellScript
    let parseError: ShellWords.ParseError?

    init(language: String, code: String) {
        let text = language == "console" ? ConsoleTranscript.commands(code) : code
        (script, parseError) = ShellWords.parsePrefix(text)
    }

    /// `${NAME}` and `<name>` parameters, in order of first use: in words, quotes, here-document
    /// bodies and comments alike, but not `\${NAME}`, which bash prints as written.
    var parameters: [String] { script.parameterNames }

    /// A default step id from the first command: `aws ecs update-service` -> `update-service`,
    /// `aws logs tail` -> `logs-tail`, `./scripts/rollback.sh` -> `rollback`, `curl` -> `curl`.
    var derivedID: String {
        guard let first = script.commands.first else { return "step" }
        let w = first.words.map(\.text).filter { !$0.contains("=") || $0.hasPrefix("-") }
        guard let program = w.first else { return "step" }
        if program == "aws", w.count >= 3 {
            let op = w[2]
            return op.contains("-") ? sanitize(op) : sanitize("\(w[1])-\(op)")
        }
        var base = program.split(separator: "/").last.map(String.init) ?? program
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        if base == "redis-cli", let sub = w.dropFirst().first(where: { !$0.hasPrefix("-") && Int($0) == nil && !$0.contains(".") }) {
            return sanitize("redis-\(sub.lowercased())")
        }
        return sanitize(base)
    }

    private func sanitize(_ s: String) -> String {
        let kept = String(s.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        let parts = kept.split(separator: "-")
        return parts.isEmpty ? "step" : parts.joined(separator: "-")
    }

    /// What the block does to the world, by the one classifier; a block that does not parse is
    /// unknown (`runbook check` and `runbook exec` report why, at its line).
    var effect: StateEffect {
        parseError != nil ? .unknown("the block does not parse") : CommandClassifier.classify(script)
    }

    /// Anything not known to be read-only counts as changing state (the default kind is `act`).
    var mayChangeState: Bool { effect.mayChangeState }
}
