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

    /// True unless every command, those inside `$(...)` included, is known to be read-only.
    var mayChangeState: Bool {
        parseError != nil || !(script.commands + script.substitutedCommands).allSatisfy(Self.isReadOnly)
    }

    private static let readOnlyPrograms: Set<String> = [
        "echo", "printf", "date", "cat", "grep", "head", "tail", "wc", "dig", "nslookup", "ping", "ls", "test", "true",
        "jq", "sleep", "pg_isready", "uptime", "df", "free",
    ]
    private static let readOnlyRedis: Set<String> = ["info", "ping", "dbsize", "slowlog", "client", "config", "memory", "latency", "scan", "get", "ttl", "type"]

    static func isReadOnly(_ command: SimpleCommand) -> Bool {
        // Any redirection to a file (or a descriptor) may write.
        if command.redirections.contains(where: { $0.op.contains(">") }) { return false }
        let w = command.words.map(\.text)
        guard let program = w.first else { return true }
        switch program {
        case "aws":
            guard w.count >= 3 else { return false }
            let op = w[2]
            return op.hasPrefix("describe-") || op.hasPrefix("list-") || op.hasPrefix("get-") || op == "wait"
                || (w[1] == "logs" && op == "tail") || (w[1] == "s3" && op == "ls")
        case "curl":
            let writes = w.contains { ["-d", "--data", "--data-raw", "--data-binary", "-F", "--form", "-T", "--upload-file", "-o", "--output"].contains($0) }
            let method = w.firstIndex { $0 == "-X" || $0 == "--request" }.flatMap { w.indices.contains($0 + 1) ? w[$0 + 1].uppercased() : nil }
            return !writes && (method == nil || method == "GET" || method == "HEAD")
        case "redis-cli":
            guard let sub = w.dropFirst().first(where: { !$0.hasPrefix("-") && Int($0) == nil && !$0.contains(".") && !$0.contains(":") }) else { return false }
            return readOnlyRedis.contains(sub.lowercased())
        case "psql":
            // One statement that starts with SELECT or SHOW (`-c "select 1; drop table t"` is two).
            guard let c = w.firstIndex(of: "-c"), w.indices.contains(c + 1), !w[c + 1].contains(";"),
                  let verb = w[c + 1].split(whereSeparator: \.isWhitespace).first else { return false }
            return ["select", "show"].contains(verb.lowercased())
        default:
            return readOnlyPrograms.contains(program)
        }
    }
}
