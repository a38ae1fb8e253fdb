import Foundation

/// What running a shell command does to the world: the one classifier behind the site's badge,
/// a step's default kind, the plan, `runbook check` and the runner's confirmation.
public enum StateEffect: Sendable, Equatable, CustomStringConvertible {
    /// Known to only read.
    case readOnly
    /// Known to change something (files, services, databases, the machine), and why.
    case changesState(String)
    /// Not known either way, and why: treated as changing state wherever a confirmation is at stake.
    case unknown(String)

    /// Whether the runner must treat it as a change (asks first, needs `kind=act`).
    public var mayChangeState: Bool { self != .readOnly }

    /// Whether it is known to change state (not merely unknown).
    public var isKnownChange: Bool {
        if case .changesState = self { return true }
        return false
    }

    /// The reason, when it is not read-only.
    public var reason: String? {
        switch self {
        case .readOnly: return nil
        case .changesState(let why), .unknown(let why): return why
        }
    }

    public var description: String {
        switch self {
        case .readOnly: return "read-only"
        case .changesState(let why): return "changes state: \(why)"
        case .unknown(let why): return "unknown: \(why)"
        }
    }

    /// The stronger of two effects: a known change over unknown over read-only (first reason kept).
    public func combined(with other: StateEffect) -> StateEffect {
        switch (self, other) {
        case (.changesState, _): return self
        case (_, .changesState): return other
        case (.unknown, _): return self
        case (_, .unknown): return other
        default: return .readOnly
        }
    }
}

/// Decides, from shell words, whether commands change state.
///
/// It reads what a command really runs: command substitutions and backticks by the commands
/// inside them, launchers (`env`, `xargs`, `sh -c`, `eval`, `find -exec`, `timeout`, `sudo`, ...)
/// by the command they launch, and the programs whose effect depends on their arguments
/// (`curl`, `psql`, `redis-cli`, `awk`, `sort -o`, `date -s`, ...) by those arguments. Anything it
/// does not know is `unknown`, which counts as a change for confirmation.
public enum CommandClassifier {
    /// Nesting beyond this (substitutions in `sh -c` in `eval` ...) is `unknown`.
    static let maximumDepth = 8

    /// The effect of a block of shell text; text that does not parse is `unknown`.
    public static func classify(text: String) -> StateEffect {
        classify(text: text, depth: 0)
    }

    static func classify(text: String, depth: Int) -> StateEffect {
        guard depth <= maximumDepth else { return .unknown("commands nested too deeply to read") }
        guard let script = try? ShellWords.parse(text) else { return .unknown("shell text that does not parse") }
        return classify(script, depth: depth)
    }

    /// The effect of every command of `script` together.
    public static func classify(_ script: ShellScript) -> StateEffect {
        classify(script, depth: 0)
    }

    static func classify(_ script: ShellScript, depth: Int) -> StateEffect {
        script.commands.reduce(StateEffect.readOnly) { $0.combined(with: classify($1, depth: depth)) }
    }

    /// The effect of one simple command: its redirections, its substitutions, and its program.
    public static func classify(_ command: SimpleCommand) -> StateEffect {
        classify(command, depth: 0)
    }

    static func classify(_ command: SimpleCommand, depth: Int) -> StateEffect {
        guard depth <= maximumDepth else { return .unknown("commands nested too deeply to read") }
        var effect = StateEffect.readOnly
        for r in command.redirections where writes(r) {
            effect = effect.combined(with: .changesState("writes to \(r.target?.text ?? "a file") (\(r.op))"))
        }
        for word in command.words + command.redirections.compactMap(\.target) {
            effect = effect.combined(with: substitutions(in: word, depth: depth))
        }
        let words = command.words.map(\.text)
        // Leading assignments (`LANG=C sort`) only set the command's environment.
        let start = command.words.firstIndex { !isAssignment($0) } ?? command.words.count
        guard start < command.words.count else { return effect }
        guard command.words[start].literal != nil else {
            return effect.combined(with: .unknown("runs a command named by an expansion (\(words[start]))"))
        }
        return effect.combined(with: program(Array(words[start...]), depth: depth))
    }

    // MARK: - Pieces of a command

    static func writes(_ r: ShellRedirection) -> Bool {
        guard r.op.contains(">"), !r.op.hasSuffix(">&") else { return false }
        guard let target = r.target?.literal else { return true }
        return target != "/dev/null" && !target.hasPrefix("&")
    }

    static func isAssignment(_ word: ShellWord) -> Bool {
        guard let eq = word.raw.firstIndex(of: "="), eq != word.raw.startIndex else { return false }
        return word.raw[..<eq].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// `$(...)` and backticks inside a word, judged by what they run; `$((...))` is arithmetic.
    static func substitutions(in word: ShellWord, depth: Int) -> StateEffect {
        var effect = StateEffect.readOnly
        for part in word.parts {
            guard case .expansion(let e) = part else { continue }
            if e.hasPrefix("$((") { continue }
            var inner: Substring?
            if e.hasPrefix("$("), e.hasSuffix(")") {
                if DateSubstitution.parse(e) != nil { continue }
                inner = e.dropFirst(2).dropLast()
            } else if e.hasPrefix("`"), e.hasSuffix("`"), e.count >= 2 {
                inner = e.dropFirst().dropLast()
            } else if e.hasPrefix("<(") || e.hasPrefix(">(") {
                inner = e.dropFirst(2).dropLast()
            }
            if let inner {
                effect = effect.combined(with: classify(text: String(inner), depth: depth + 1))
            } else if e.contains("$(") || e.contains("`") {
                effect = effect.combined(with: .unknown("a substitution it cannot read (\(e))"))
            }
        }
        return effect
    }

    static func baseName(_ program: String) -> String {
        program.split(separator: "/").last.map(String.init) ?? program
    }

    // MARK: - Programs

    /// Programs that only read, whatever their arguments.
    static let readOnlyPrograms: Set<String> = [
        "echo", "printf", "cat", "grep", "egrep", "fgrep", "zgrep", "head", "tail", "wc", "dig", "nslookup", "host", "ping", "ls",
        "test", "[", "[[", "true", "false", "jq", "yq", "sleep", "pg_isready", "uptime", "df", "du", "free", "ps", "top", "whoami",
        "id", "cut", "tr", "column", "stat", "sha256sum", "sha1sum", "md5sum", "traceroute", "tracepath", "mtr", "ss", "netstat",
        "exit", ":", "cd", "pwd", "export", "set", "unset", "read", "basename", "dirname", "realpath", "readlink", "which", "type",
        "seq", "zcat", "file", "less", "more", "diff", "cmp", "comm", "nl", "fold", "rev", "base64", "xxd", "od", "uname", "lsof",
        "vmstat", "iostat", "mpstat", "sar", "nproc", "getent", "tac", "expr", "bc", "local", "return", "shift", "wait",
    ]

    /// Programs known to change something, whatever their arguments.
    static let writingPrograms: Set<String> = [
        "rm", "rmdir", "mv", "cp", "touch", "mkdir", "chmod", "chown", "chgrp", "ln", "truncate", "dd", "shred", "install",
        "kill", "pkill", "killall", "reboot", "shutdown", "halt", "poweroff", "service", "useradd", "userdel", "usermod", "passwd",
        "crontab", "mount", "umount", "iptables", "sysctl", "apt", "apt-get", "yum", "dnf", "pip", "pip3", "npm", "helm",
        "terraform", "scp", "rsync", "wget", "pg_restore", "dropdb", "createdb", "unzip", "tar", "patch", "ecs-cli",
    ]

    /// Tools whose read-only uses are known subcommands; any other subcommand changes state.
    static let readOnlySubcommands: [String: Set<String>] = [
        "git": ["status", "log", "diff", "show", "rev-parse", "ls-files", "describe", "blame", "grep", "shortlog", "ls-remote", "cat-file"],
        "kubectl": ["get", "describe", "logs", "top", "explain", "version", "api-resources", "api-versions", "cluster-info", "auth"],
        "docker": ["ps", "logs", "inspect", "images", "stats", "version", "info", "top", "events", "history"],
        "systemctl": ["status", "is-active", "is-enabled", "is-failed", "list-units", "list-timers", "list-unit-files", "show", "cat"],
    ]

    static func program(_ words: [String], depth: Int) -> StateEffect {
        let name = baseName(words[0])
        let args = Array(words.dropFirst())
        switch name {
        case "env": return launcher(afterOptions: args, valued: ["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
                                    skipAssignments: true, depth: depth, emptyIsReadOnly: true)
        case "nice": return launcher(afterOptions: args, valued: ["-n", "--adjustment"], depth: depth)
        case "nohup", "command", "exec", "time", "builtin": return launcher(afterOptions: args, valued: [], depth: depth)
        case "stdbuf": return launcher(afterOptions: args, valued: ["-i", "-o", "-e"], depth: depth)
        case "ionice": return launcher(afterOptions: args, valued: ["-c", "-n", "-p", "-t"], depth: depth)
        case "sudo", "doas": return launcher(afterOptions: args, valued: ["-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t"], depth: depth)
        case "timeout":
            // timeout [OPTIONS] DURATION COMMAND...
            var rest = dropOptions(args, valued: ["-s", "--signal", "-k", "--kill-after"])
            guard !rest.isEmpty else { return .readOnly }
            rest.removeFirst()
            return rest.isEmpty ? .readOnly : program(rest, depth: depth + 1)
        case "xargs":
            let rest = dropOptions(args, valued: ["-n", "-P", "-I", "-L", "-d", "-E", "-s", "-a", "--max-args", "--max-procs",
                                                  "--replace", "--delimiter", "--arg-file"])
            return rest.isEmpty ? .readOnly : program(rest, depth: depth + 1)
        case "watch":
            let rest = dropOptions(args, valued: ["-n", "--interval", "-d", "--differences"])
            return rest.isEmpty ? .readOnly : classify(text: rest.joined(separator: " "), depth: depth + 1)
        case "sh", "bash", "dash", "zsh", "ksh":
            if let c = args.firstIndex(where: { $0 == "-c" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("c")) }),
               c + 1 < args.count {
                return classify(text: args[c + 1], depth: depth + 1)
            }
            return .unknown("\(name) runs a script it does not show")
        case "eval":
            return classify(text: args.joined(separator: " "), depth: depth + 1)
        case "find": return find(args, depth: depth)
        case "curl": return curl(args)
        case "psql": return psql(args)
        case "redis-cli": return redisCLI(args)
        case "aws": return aws(args)
        case "awk", "gawk", "mawk", "nawk": return awk(args)
        case "date":
            if args.contains(where: { $0 == "-s" || $0.hasPrefix("--set") || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("s")) }) {
                return .changesState("date -s sets the system clock")
            }
            if args.contains(where: { !$0.hasPrefix("-") && !$0.hasPrefix("+") && !isOptionValue($0, in: args, valued: ["-d", "--date", "-r", "--reference", "-f", "--file"]) }) {
                return .changesState("date with a time argument sets the system clock")
            }
            return .readOnly
        case "hostname":
            if args.contains(where: { $0 == "-F" || $0 == "--file" || $0 == "-b" || $0 == "--boot" }) || args.contains(where: { !$0.hasPrefix("-") }) {
                return .changesState("hostname NAME sets the host name")
            }
            return .readOnly
        case "sort":
            if args.contains(where: { $0 == "-o" || $0.hasPrefix("--output") || ($0.hasPrefix("-o") && $0.count > 2) }) {
                return .changesState("sort -o writes a file")
            }
            return .readOnly
        case "uniq":
            let files = dropOptionsEverywhere(args, valued: ["-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars"])
            return files.count >= 2 ? .changesState("uniq INPUT OUTPUT writes \(files[1])") : .readOnly
        case "tee":
            let files = args.filter { !$0.hasPrefix("-") && $0 != "/dev/null" && $0 != "/dev/stdout" && $0 != "/dev/stderr" }
            return files.isEmpty ? .readOnly : .changesState("tee writes \(files.joined(separator: ", "))")
        case "openssl":
            if args.contains(where: { $0 == "-out" || $0 == "-keyout" || $0.hasPrefix("-out=") }) {
                return .changesState("openssl -out writes a file")
            }
            return .readOnly
        case "pg_dump", "pg_dumpall":
            return args.contains(where: { $0 == "-f" || $0.hasPrefix("--file") || ($0.hasPrefix("-f") && $0.count > 2) })
                ? .changesState("\(name) -f writes a file") : .readOnly
        case "kill" where args.first == "-0":
            return .readOnly
        case "sed":
            return args.contains(where: { $0 == "-i" || $0.hasPrefix("--in-place") || ($0.hasPrefix("-i") && !$0.hasPrefix("--")) })
                ? .changesState("sed -i edits files in place") : .readOnly
        case "gunzip", "gzip", "xz", "bzip2", "zstd":
            // With file operands and without -c it replaces the files; as a filter it only reads.
            let toStdout = args.contains { $0 == "-c" || $0 == "--stdout" || $0 == "-l" || $0 == "--list" || $0 == "-t" || $0 == "--test" }
            return toStdout || dropOptionsEverywhere(args, valued: ["-S", "--suffix"]).isEmpty ? .readOnly : .changesState("\(name) replaces files")
        case "journalctl":
            return args.contains(where: { $0.hasPrefix("--vacuum") || $0 == "--rotate" || $0 == "--flush" || $0 == "--sync" })
                ? .changesState("journalctl \(args.first { $0.hasPrefix("--") } ?? "") changes the journal") : .readOnly
        case "ip":
            let verbs: Set<String> = ["add", "del", "delete", "change", "replace", "set", "flush", "append", "prepend"]
            return args.contains(where: { verbs.contains($0) }) ? .changesState("ip \(args.joined(separator: " ")) changes the network") : .readOnly
        case "git", "kubectl", "docker", "systemctl":
            let sub = dropOptions(args, valued: ["-C", "-c", "-n", "--namespace", "--context", "-H", "--host"]).first ?? ""
            if readOnlySubcommands[name]?.contains(sub) == true { return .readOnly }
            return sub.isEmpty ? .unknown("\(name) without a subcommand") : .changesState("\(name) \(sub) changes state")
        case "ssh", "mysql", "mongo", "mongosh", "nc", "ncat", "telnet", "socat":
            return .unknown("\(name) sends commands or data that the block does not show")
        default:
            if readOnlyPrograms.contains(name) { return .readOnly }
            if writingPrograms.contains(name) { return .changesState("`\(name)` changes state") }
            if words[0].hasPrefix("./") || words[0].hasPrefix("/") || words[0].hasSuffix(".sh") {
                return .unknown("the script \(words[0]) may change anything")
            }
            return .unknown("`\(name)` is not known to be read-only")
        }
    }

    /// The launched command after the launcher's options (`nice -n 5 CMD`, `env -i A=1 CMD`).
    static func launcher(afterOptions args: [String], valued: Set<String>, skipAssignments: Bool = false, depth: Int,
                         emptyIsReadOnly: Bool = true) -> StateEffect {
        var rest = dropOptions(args, valued: valued)
        if skipAssignments {
            while let first = rest.first, let eq = first.firstIndex(of: "="), eq != first.startIndex,
                  first[..<eq].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                rest.removeFirst()
            }
        }
        if rest.isEmpty { return emptyIsReadOnly ? .readOnly : .unknown("a launcher with nothing to launch") }
        return program(rest, depth: depth + 1)
    }

    /// `args` without leading options (and the values of `valued` options), up to `--`.
    static func dropOptions(_ args: [String], valued: Set<String>) -> [String] {
        var i = 0
        while i < args.count, args[i].hasPrefix("-"), args[i] != "-" {
            if args[i] == "--" { return Array(args[(i + 1)...]) }
            i += valued.contains(args[i]) ? 2 : 1
        }
        return Array(args[min(i, args.count)...])
    }

    /// The operands of `args` (options anywhere, with the values of `valued` ones, left out).
    static func dropOptionsEverywhere(_ args: [String], valued: Set<String>) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            if args[i].hasPrefix("-"), args[i] != "-" {
                i += valued.contains(args[i]) ? 2 : 1
            } else {
                out.append(args[i])
                i += 1
            }
        }
        return out
    }

    static func isOptionValue(_ word: String, in args: [String], valued: Set<String>) -> Bool {
        guard let i = args.firstIndex(of: word), i > 0 else { return false }
        return valued.contains(args[i - 1])
    }

    // MARK: - find

    static func find(_ args: [String], depth: Int) -> StateEffect {
        var effect = StateEffect.readOnly
        var i = 0
        while i < args.count {
            let a = args[i]
            if ["-delete", "-fprint", "-fprint0", "-fprintf", "-fls"].contains(a) {
                effect = effect.combined(with: .changesState("find \(a) changes files"))
            }
            if ["-exec", "-execdir", "-ok", "-okdir"].contains(a) {
                var j = i + 1
                var launched: [String] = []
                while j < args.count, args[j] != ";", args[j] != "+" {
                    launched.append(args[j])
                    j += 1
                }
                effect = effect.combined(with: launched.isEmpty ? .unknown("find \(a) without a command") : program(launched, depth: depth + 1))
                i = j
            }
            i += 1
        }
        return effect
    }

    // MARK: - curl

    static func curl(_ args: [String]) -> StateEffect {
        var method: String?
        var data = false
        var writesFile = false
        var get = false
        var i = 0
        func value(_ k: Int) -> String? { k < args.count ? args[k] : nil }
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                let (name, inline) = a.firstIndex(of: "=").map { (String(a[..<$0]), Optional(String(a[a.index(after: $0)...]))) } ?? (a, nil)
                switch name {
                case "--request":
                    method = inline ?? value(i + 1)
                    if inline == nil { i += 1 }
                case "--data", "--data-raw", "--data-binary", "--data-urlencode", "--data-ascii", "--json", "--form", "--form-string",
                     "--upload-file":
                    data = true
                    if inline == nil { i += 1 }
                case "--output", "--remote-name", "--remote-name-all", "--output-dir", "--cookie-jar", "--dump-header", "--trace",
                     "--trace-ascii", "--stderr", "--etag-save", "--hsts", "--alt-svc":
                    writesFile = true
                    if inline == nil, name != "--remote-name", name != "--remote-name-all" { i += 1 }
                case "--get":
                    get = true
                case "--head":
                    method = "HEAD"
                default:
                    break
                }
            } else if a.hasPrefix("-"), a.count > 1 {
                // A cluster of short options: -sSfL, -XPOST, -sd @body.json, -oout.html.
                let letters = Array(a.dropFirst())
                var k = 0
                while k < letters.count {
                    let c = letters[k]
                    let attached = k + 1 < letters.count ? String(letters[(k + 1)...]) : nil
                    switch c {
                    case "X":
                        method = attached ?? value(i + 1)
                        if attached == nil { i += 1 }
                        k = letters.count
                    case "d", "F", "T":
                        data = true
                        if attached == nil { i += 1 }
                        k = letters.count
                    case "o", "c", "D":
                        writesFile = true
                        if attached == nil { i += 1 }
                        k = letters.count
                    case "O":
                        writesFile = true
                    case "G":
                        get = true
                    case "I":
                        method = "HEAD"
                    case "H", "u", "A", "e", "b", "m", "w", "x", "U", "E", "K", "r", "Y", "y", "z", "C", "P", "Q", "t":
                        // Options that take a value: the value is the rest of the cluster or the next word.
                        if attached == nil { i += 1 }
                        k = letters.count
                    default:
                        break
                    }
                    k += 1
                }
            }
            i += 1
        }
        if let method, !["GET", "HEAD"].contains(method.uppercased()) {
            return .changesState("curl sends a \(method.uppercased()) request")
        }
        if data && !get { return .changesState("curl sends data (a POST or upload)") }
        if writesFile { return .changesState("curl writes a file") }
        return .readOnly
    }

    // MARK: - psql

    /// Functions that act when a SELECT calls them.
    static let actingSQLFunctions = [
        "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "set_config", "nextval", "setval",
        "pg_advisory_lock", "pg_advisory_xact_lock", "pg_try_advisory_lock", "lo_import", "lo_export", "lo_unlink", "pg_switch_wal",
        "pg_create_restore_point", "pg_stat_reset", "pg_stat_reset_shared", "dblink_exec", "dblink", "pg_promote",
        "pg_drop_replication_slot", "pg_create_physical_replication_slot", "pg_create_logical_replication_slot", "pg_notify",
        "pg_file_write", "pg_wal_replay_pause", "pg_wal_replay_resume", "pg_backup_start", "pg_backup_stop", "pg_log_backend_memory_contexts",
    ]

    static func psql(_ args: [String]) -> StateEffect {
        var statements: [String] = []
        var i = 0
        var listOnly = false
        while i < args.count {
            let a = args[i]
            if a == "-c" || a == "--command", i + 1 < args.count {
                statements.append(args[i + 1])
                i += 1
            } else if a.hasPrefix("--command=") {
                statements.append(String(a.dropFirst("--command=".count)))
            } else if a.hasPrefix("-c"), a.count > 2 {
                statements.append(String(a.dropFirst(2)))
            } else if a == "-f" || a.hasPrefix("--file") || (a.hasPrefix("-f") && a.count > 2) {
                return .unknown("psql -f runs a file of statements it does not show")
            } else if a == "-l" || a == "--list" {
                listOnly = true
            }
            i += 1
        }
        if statements.isEmpty { return listOnly ? .readOnly : .unknown("psql without -c reads its statements from input") }
        for text in statements {
            for statement in sqlStatements(text) {
                if let why = sqlChange(statement) { return .changesState(why) }
            }
        }
        return .readOnly
    }

    /// `text` split at `;` outside quotes, each trimmed; empty statements left out.
    static func sqlStatements(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil }
                current.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                current.append(c)
            } else if c == ";" {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        out.append(current)
        return out.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// Why a statement changes state, or nil for a plain read.
    static func sqlChange(_ statement: String) -> String? {
        let lower = statement.lowercased()
        let words = lower.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "\\") }).map(String.init)
        guard let first = words.first else { return nil }
        if first.hasPrefix("\\") {
            // Describing, listing, connecting and display settings; `\copy`, `\i`, `\o`, `\!` and the rest act.
            return ["\\d", "\\l", "\\x", "\\c", "\\connect", "\\conninfo", "\\timing", "\\echo", "\\pset", "\\q"].contains(first)
                || first.hasPrefix("\\d")
                ? nil : "psql meta-command \(first)"
        }
        let reading: Set<String> = ["select", "show", "with", "table", "values", "explain"]
        guard reading.contains(first) else { return "SQL \(first.uppercased()) changes the database" }
        if first == "explain", words.contains("analyze") || words.contains("analyse") { return "EXPLAIN ANALYZE runs the statement" }
        for w in ["insert", "update", "delete", "merge", "truncate", "drop", "alter", "create", "grant", "revoke", "copy", "call",
                  "lock", "vacuum", "cluster", "reindex", "refresh", "set"] where words.contains(w) && (first != "select" || w != "set") {
            return "SQL with \(w.uppercased()) changes the database"
        }
        if words.contains("into") { return "SELECT INTO creates a table" }
        if lower.contains("for update") || lower.contains("for share") || lower.contains("for no key update") { return "SELECT FOR UPDATE locks rows" }
        for f in actingSQLFunctions where lower.contains(f + "(") || lower.contains(f + " (") {
            return "SQL calls \(f)(), which acts"
        }
        return nil
    }

    // MARK: - redis-cli

    static let readOnlyRedisCommands: Set<String> = [
        "info", "ping", "dbsize", "scan", "sscan", "hscan", "zscan", "get", "mget", "getrange", "ttl", "pttl", "type", "exists",
        "llen", "lrange", "lindex", "hlen", "hget", "hmget", "hgetall", "hkeys", "hvals", "hexists", "hstrlen", "scard", "smembers",
        "sismember", "smismember", "srandmember", "zcard", "zrange", "zrangebyscore", "zrevrange", "zscore", "zrank", "zrevrank",
        "zcount", "strlen", "keys", "time", "role", "lastsave", "echo", "xlen", "xrange", "xrevrange", "xinfo", "bitcount",
        "getbit", "pfcount", "geopos", "geodist", "randomkey", "dump", "touch",
    ]
    /// Commands with a subcommand: the read-only subcommands.
    static let readOnlyRedisSubcommands: [String: Set<String>] = [
        "config": ["get"], "client": ["list", "info", "getname", "id"], "slowlog": ["get", "len"],
        "memory": ["usage", "stats", "doctor", "malloc-stats"], "latency": ["latest", "history", "doctor", "graph"],
        "cluster": ["info", "nodes", "slots", "shards", "myid", "keyslot", "countkeysinslot"], "object": ["encoding", "freq", "idletime", "refcount"],
        "pubsub": ["channels", "numsub", "numpat"], "command": ["count", "info", "docs", "list"], "acl": ["whoami", "list", "users", "cat"],
        "module": ["list"], "function": ["list"],
    ]

    static func redisCLI(_ args: [String]) -> StateEffect {
        let valued: Set<String> = ["-h", "-p", "-a", "-u", "-n", "-s", "-r", "-i", "-d", "--user", "--pass", "--askpass", "--cacert",
                                   "--cert", "--key", "--sni", "--pattern", "--count", "--quoted-pattern"]
        var i = 0
        var scanMode = false
        while i < args.count, args[i].hasPrefix("-") {
            switch args[i] {
            case "--scan", "--bigkeys", "--memkeys", "--hotkeys", "--stat", "--latency", "--latency-history", "--latency-dist",
                 "--intrinsic-latency":
                scanMode = true
            case "--eval", "--pipe", "--rdb", "--functions-rdb", "--replica", "--slave", "-x":
                return .changesState("redis-cli \(args[i]) changes state or writes a file")
            default:
                break
            }
            i += valued.contains(args[i]) ? 2 : 1
        }
        guard i < args.count else {
            return scanMode ? .readOnly : .unknown("redis-cli without a command reads its commands from input")
        }
        let command = args[i].lowercased()
        if readOnlyRedisCommands.contains(command) { return .readOnly }
        if let subs = readOnlyRedisSubcommands[command] {
            let sub = i + 1 < args.count ? args[i + 1].lowercased() : ""
            return subs.contains(sub) ? .readOnly : .changesState("redis \(command.uppercased()) \(sub.uppercased()) changes the server")
        }
        return .changesState("redis \(command.uppercased()) changes data or the server")
    }

    // MARK: - aws

    static func aws(_ args: [String]) -> StateEffect {
        let positional = dropOptionsEverywhere(args, valued: ["--region", "--profile", "--output", "--query", "--endpoint-url",
                                                              "--cli-read-timeout", "--cli-connect-timeout", "--color", "--ca-bundle"])
        guard positional.count >= 2 else { return .unknown("an aws command without a service and operation") }
        let service = positional[0], op = positional[1]
        let reading = op.hasPrefix("describe-") || op.hasPrefix("list-") || op.hasPrefix("get-") || op.hasPrefix("head-") || op == "wait"
            || (service == "logs" && (op == "tail" || op == "filter-log-events")) || (service == "s3" && op == "ls")
        if reading { return .readOnly }
        return .changesState("aws \(service) \(op) changes AWS resources")
    }

    // MARK: - awk

    static func awk(_ args: [String]) -> StateEffect {
        var i = 0
        while i < args.count, args[i].hasPrefix("-") {
            if args[i] == "-f" || args[i].hasPrefix("--file") { return .unknown("awk -f runs a program it does not show") }
            i += ["-F", "-v", "--field-separator", "--assign"].contains(args[i]) ? 2 : 1
        }
        guard i < args.count else { return .readOnly }
        let program = args[i]
        if program.contains("system(") { return .changesState("awk runs system()") }
        if program.contains("| getline") || program.contains("|getline") { return .changesState("awk runs a command with | getline") }
        // `print > "file"`, `printf ... >> f`, `print | "cmd"`: output redirection inside the program.
        var rest = Substring(program)
        while let r = rest.range(of: "print") {
            let statement = rest[r.upperBound...].prefix { $0 != ";" && $0 != "}" && $0 != "\n" }
            if statement.contains(">") || statement.contains("|") { return .changesState("awk redirects its output to a file or command") }
            rest = rest[r.upperBound...]
        }
        return .readOnly
    }
}
