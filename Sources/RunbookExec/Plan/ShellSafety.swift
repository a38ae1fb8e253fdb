import RunbookCore
/// Decides whether a shell command is known to only read; anything not known to be read-only
/// counts as changing state, so it is confirmed before it runs.
enum ShellSafety {
    static let readOnlyPrograms: Set<String> = [
        "echo", "printf", "date", "cat", "grep", "egrep", "head", "tail", "wc", "dig", "nslookup", "host", "ping", "ls", "test", "[",
        "true", "false", "jq", "sleep", "pg_isready", "uptime", "df", "du", "free", "ps", "top", "env", "whoami", "hostname",
        "sort", "uniq", "cut", "awk", "tr", "column", "stat", "sha256sum", "md5sum", "nc", "openssl", "traceroute", "ss", "netstat",
        "exit", ":",
    ]
    static let readOnlyRedis: Set<String> = ["info", "ping", "dbsize", "slowlog", "memory", "latency", "scan", "get", "ttl", "type",
                                             "exists", "llen", "hlen", "scard", "zcard", "strlen"]

    static func isReadOnly(_ command: SimpleCommand) -> Bool {
        for r in command.redirections {
            let writes = r.op.contains(">") && !r.op.hasSuffix(">&")
            if writes, r.target?.literal != "/dev/null" { return false }
        }
        let words = command.words.map(\.text)
        guard let program = words.first else { return true }
        switch program {
        case "aws":
            let positional = words.dropFirst().filter { !$0.hasPrefix("-") }
            guard positional.count >= 2 else { return false }
            let service = positional[positional.startIndex]
            let op = positional[positional.startIndex + 1]
            return op.hasPrefix("describe-") || op.hasPrefix("list-") || op.hasPrefix("get-") || op == "wait"
                || (service == "logs" && (op == "tail" || op.hasPrefix("filter-"))) || (service == "s3" && op == "ls")
        case "curl":
            let writes: Set<String> = ["-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "-F", "--form", "-T",
                                       "--upload-file", "-o", "--output", "-O", "--remote-name"]
            if words.contains(where: { w in writes.contains(w) || writes.contains(where: { w.hasPrefix($0 + "=") }) }) {
                return words.contains("-G") || words.contains("--get")
            }
            if let i = words.firstIndex(where: { $0 == "-X" || $0 == "--request" }), i + 1 < words.count {
                return ["GET", "HEAD"].contains(words[i + 1].uppercased())
            }
            return true
        case "redis-cli":
            var i = 1
            while i < words.count, words[i].hasPrefix("-") { i += ["-h", "-p", "-a", "-u", "-n"].contains(words[i]) ? 2 : 1 }
            return i < words.count && readOnlyRedis.contains(words[i].lowercased())
        case "psql":
            guard let c = words.firstIndex(of: "-c"), c + 1 < words.count else { return false }
            let sql = words[c + 1].lowercased().trimming(" ")
            return sql.hasPrefix("select") || sql.hasPrefix("show") || sql.hasPrefix("\\d") || sql.hasPrefix("explain select")
        default:
            return readOnlyPrograms.contains(program)
        }
    }
}

extension String {
    func trimming(_ set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
