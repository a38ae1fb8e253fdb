import Foundation

/// A light, conservative reading of a step's shell text, enough for the model: which parameters
/// it uses, a default id, and whether it may change state.
///
/// The executor plans steps with a full shell tokenizer; this reading only has to be safe:
/// anything it does not know to be read-only counts as changing state.
import Foundation

struct StepScript {
    /// Command lines: comments and blank lines dropped, `\` continuations joined, `$ ` prompts
    /// of `console` blocks removed (their output lines dropped).
    let commands: [String]
    let parameters: [String]

    init(language: String, code: String) {
        var commands: [String] = []
        var pending = ""
        for raw in code.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if language == "console" && pending.isEmpty {
                guard line.hasPrefix("$ ") else { continue }
                line.removeFirst(2)
            }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let full = (pending + line).trimmed
            pending = ""
            if full.isEmpty || full.hasPrefix("#") { continue }
            commands.append(full)
        }
        if !pending.trimmed.isEmpty { commands.append(pending.trimmed) }
        self.commands = commands
        self.parameters = Self.findParameters(in: code)
    }

    /// `${NAME}` and `<name>` placeholders, in order of first use.
    static func findParameters(in code: String) -> [String] {
        var found: [String] = []
        let chars = Array(code)
        var i = 0
        func isNameChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-") }
        while i < chars.count {
            var name: String?
            var end = i
            if chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" {
                var j = i + 2
                var s = ""
                while j < chars.count, chars[j].isASCII, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { s.append(chars[j]); j += 1 }
                if j < chars.count, chars[j] == "}", !s.isEmpty { name = s; end = j }
            } else if chars[i] == "<", i + 1 < chars.count, chars[i + 1].isASCII, chars[i + 1].isLetter {
                var j = i + 1
                var s = ""
                while j < chars.count, isNameChar(chars[j]) { s.append(chars[j]); j += 1 }
                if j < chars.count, chars[j] == ">", !s.isEmpty { name = s; end = j }
            }
            if let name {
                if !found.contains(name) { found.append(name) }
                i = end + 1
            } else {
                i += 1
            }
        }
        return found
    }

    private static func words(_ command: String) -> [String] {
        command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { word in
            String(word.filter { $0 != "\"" && $0 != "'" })
        }
    }

    /// A default step id from the first command: `aws ecs update-service` -> `update-service`,
    /// `aws logs tail` -> `logs-tail`, `./scripts/rollback.sh` -> `rollback`, `curl` -> `curl`.
    var derivedID: String {
        guard let first = commands.first else { return "step" }
        let w = Self.words(first).filter { !$0.contains("=") || $0.hasPrefix("-") }
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

    /// True unless every command is known to be read-only.
    var mayChangeState: Bool {
        !commands.allSatisfy(Self.isReadOnly)
    }

    private static let readOnlyPrograms: Set<String> = [
        "echo", "printf", "date", "cat", "grep", "head", "tail", "wc", "dig", "nslookup", "ping", "ls", "test", "true",
        "jq", "sleep", "pg_isready", "uptime", "df", "free",
    ]
    private static let readOnlyRedis: Set<String> = ["info", "ping", "dbsize", "slowlog", "client", "config", "memory", "latency", "scan", "get", "ttl", "type"]

    static func isReadOnly(_ command: String) -> Bool {
        // Chains, pipes and redirections: each part must be read-only; any redirection to a file writes.
        var command = command
        for name in findParameters(in: command) { command = command.replacingOccurrences(of: "<\(name)>", with: "PARAM") }
        if command.contains(">") { return false }
        for part in command.split(whereSeparator: { $0 == "|" || $0 == ";" || $0 == "&" }) {
            let w = words(String(part))
            guard let program = w.first else { continue }
            switch program {
            case "aws":
                guard w.count >= 3 else { return false }
                let op = w[2]
                let ok = op.hasPrefix("describe-") || op.hasPrefix("list-") || op.hasPrefix("get-") || op == "wait"
                    || (w[1] == "logs" && op == "tail") || (w[1] == "s3" && op == "ls")
                if !ok { return false }
            case "curl":
                let writes = w.contains { ["-d", "--data", "--data-raw", "--data-binary", "-F", "--form", "-T", "--upload-file", "-o", "--output"].contains($0) }
                let method = w.firstIndex { $0 == "-X" || $0 == "--request" }.flatMap { w.indices.contains($0 + 1) ? w[$0 + 1].uppercased() : nil }
                if writes || (method != nil && method != "GET" && method != "HEAD") { return false }
            case "redis-cli":
                guard let sub = w.dropFirst().first(where: { !$0.hasPrefix("-") && Int($0) == nil && !$0.contains(".") && !$0.contains(":") }),
                      readOnlyRedis.contains(sub.lowercased()) else { return false }
            case "psql":
                guard let c = w.firstIndex(of: "-c"), w.indices.contains(c + 1),
                      ["select", "show"].contains(w[c + 1].lowercased()) else { return false }
            default:
                if !readOnlyPrograms.contains(program) { return false }
            }
        }
        return true
    }
}
