import Foundation

/// One run's audit records as the post-mortem timeline the incident guide asks for: one row per
/// event (time, operator, step, action, result, state before and after, duration), as a Markdown
/// table to paste or as JSON.
public struct AuditTimeline: Sendable, Encodable {
    public struct Row: Sendable, Encodable, Equatable {
        public var time: String
        public var `operator`: String
        public var step: String?
        public var kind: String?
        public var action: String
        public var result: String
        public var exitStatus: Int?
        public var reason: String?
        public var before: [String: String]?
        public var after: [String: String]?
        public var durationMS: Int?

        enum CodingKeys: String, CodingKey {
            case time, `operator`, step, kind, action, result, reason, before, after
            case exitStatus = "exit"
            case durationMS = "duration_ms"
        }
    }

    public var run: String
    public var doc: String?
    public var section: String?
    public var env: String?
    public var `operator`: String
    public var awsARN: String?
    public var docCommit: String?
    public var started: String
    public var ended: String?
    /// The run-end status, or `interrupted` when the run has no run-end record.
    public var status: String
    public var durationMS: Int?
    public var chainHead: String?
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case run, doc, section, env, `operator`, started, ended, status, rows
        case awsARN = "aws_arn"
        case docCommit = "doc_commit"
        case durationMS = "duration_ms"
        case chainHead = "chain_head"
    }

    /// The timeline of run `id` (or a unique prefix of one) in `history`; an unknown or ambiguous
    /// id is an error that lists the latest runs (or the matches).
    public static func build(run id: String, history: AuditHistory, logPath: String) throws(AuditLogError) -> AuditTimeline {
        let matches = history.runs.filter { $0.id == id || $0.id.hasPrefix(id) }
        let exact = history.runs.first { $0.id == id }
        guard let entry = exact ?? (matches.count == 1 ? matches.first : nil), !entry.records.isEmpty else {
            if matches.count > 1 {
                throw AuditLogError(["run id '\(id)' matches \(matches.count) runs in \(logPath); give more of it:"]
                                + matches.suffix(10).map { "  " + describe($0) })
            }
            let latest = history.runs.suffix(5).reversed().map { "  " + describe($0) }
            throw AuditLogError(["no run '\(id)' in the audit log \(logPath)" + (latest.isEmpty ? " (it has no runs)" : "; the latest runs:")]
                            + latest)
        }
        return timeline(of: entry)
    }

    /// `20261127T053100Z-3fa2c1  incident-response.md#api-down  env staging  ok  (2026-11-27T05:31:00.123Z)`.
    static func describe(_ entry: AuditHistory.RunEntry) -> String {
        let first = entry.records.first
        let end = entry.records.last { $0.event == .runEnd || $0.event == .refused }
        return "\(entry.id)  \(first?.doc ?? "?")#\(first?.section ?? "?")  env \(first?.env ?? "?")  \(end?.status ?? "interrupted")  (\(first?.time ?? "?"))"
    }

    static func timeline(of entry: AuditHistory.RunEntry) -> AuditTimeline {
        let records = entry.records
        let first = records[0]
        let who = first.operator.map { "\($0.user)@\($0.host)" } ?? "?"
        let end = records.last { $0.event == .runEnd || $0.event == .refused }
        var timeline = AuditTimeline(run: entry.id, doc: first.doc, section: first.section, env: first.env, operator: who,
                                     awsARN: records.lazy.compactMap { $0.operator?.awsARN }.first, docCommit: first.docCommit,
                                     started: first.time, ended: end?.time, status: end?.status ?? "interrupted",
                                     durationMS: nil, chainHead: entry.endHash ?? end?.chainHead, rows: [])
        if let a = first.epochMilliseconds, let b = (end ?? records.last)?.epochMilliseconds { timeline.durationMS = Int(b - a) }
        var open: [String: (index: Int, record: AuditRecord)] = [:]
        for r in records {
            let op = r.operator.map { "\($0.user)@\($0.host)" } ?? who
            switch r.event {
            case .runStart:
                timeline.rows.append(Row(time: r.time, operator: op, step: nil, kind: nil,
                                         action: "run start: \(r.doc ?? "?")#\(r.section ?? "?") on env \(r.env ?? "?")"
                                             + (r.counts?["steps"].map { ", \($0) step\($0 == 1 ? "" : "s")" } ?? ""),
                                         result: "started", exitStatus: nil, reason: r.reason, before: nil, after: nil, durationMS: nil))
            case .stepStart:
                let row = Row(time: r.time, operator: op, step: r.step, kind: r.kind, action: actionText(r.actions ?? []),
                              result: "interrupted (started, never ended)", exitStatus: nil, reason: nil, before: nil, after: nil, durationMS: nil)
                open[r.step ?? ""] = (timeline.rows.count, r)
                timeline.rows.append(row)
            case .stepEnd:
                let key = r.step ?? ""
                var row: Row
                var index: Int?
                if let o = open[key] {
                    row = timeline.rows[o.index]
                    index = o.index
                    open[key] = nil
                } else {
                    row = Row(time: r.time, operator: op, step: r.step, kind: r.kind, action: "(not run)", result: "",
                              exitStatus: nil, reason: nil, before: nil, after: nil, durationMS: nil)
                }
                row.result = r.status ?? "?"
                row.exitStatus = r.exitStatus
                row.reason = r.reason
                row.before = r.before
                row.after = r.after
                row.durationMS = r.durationMS
                if let index { timeline.rows[index] = row } else { timeline.rows.append(row) }
            case .runEnd, .refused:
                var action = r.event == .refused ? "run refused" : "run end"
                if let counts = r.counts, !counts.isEmpty {
                    action += ": " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                }
                timeline.rows.append(Row(time: r.time, operator: op, step: nil, kind: nil, action: action, result: r.status ?? "?",
                                         exitStatus: r.exitStatus, reason: r.reason, before: nil, after: nil, durationMS: timeline.durationMS))
            }
        }
        return timeline
    }

    static func actionText(_ actions: [AuditRecord.Action]) -> String {
        actions.map { a in
            if a.type == "native" {
                let args = (a.args ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                return args.isEmpty ? a.name : "\(a.name) \(args)"
            }
            return a.text ?? a.name
        }.joined(separator: "\n")
    }

    // MARK: - Rendering

    /// A Markdown heading, a few facts, and a GFM table ready to paste into the post-mortem.
    public func markdown() -> String {
        var out = "### Timeline of run \(run): \(doc ?? "?")#\(section ?? "?") on \(env ?? "?") (\(status))\n\n"
        out += "- Operator: \(`operator`)\(awsARN.map { " (\($0))" } ?? "")\n"
        out += "- Doc: \(doc ?? "?")\(docCommit.map { " at commit \($0)" } ?? " (not in git)")\n"
        out += "- Started \(Self.shortTime(started))" + (ended.map { ", ended \(Self.shortTime($0))" } ?? ", no run-end record (interrupted)")
        out += durationMS.map { ", \(Self.duration($0))" } ?? ""
        out += "\n"
        if let chainHead { out += "- Audit chain head: `\(chainHead)`\n" }
        out += "\n| Time (UTC) | Operator | Step | Action | Result | State before | State after | Duration |\n"
        out += "|---|---|---|---|---|---|---|---|\n"
        for row in rows {
            var result = row.result
            if let e = row.exitStatus, row.result != "ok" { result += " (exit \(e))" }
            if let reason = row.reason { result += ": " + reason }
            let cells = [
                Self.shortTime(row.time), row.operator,
                row.step.map { "`\($0)`" + (row.kind.map { " (\($0))" } ?? "") } ?? "",
                row.step == nil || row.action == "(not run)" ? row.action
                    : row.action.split(separator: "\n", omittingEmptySubsequences: true).map { Self.code(String($0)) }.joined(separator: "\n"),
                result, Self.state(row.before), Self.state(row.after), row.durationMS.map(Self.duration) ?? "",
            ]
            out += "| " + cells.map(Self.cell).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Pretty JSON with sorted keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// `2026-11-27T05:31:00.123Z` as `2026-11-27 05:31:00.123`.
    static func shortTime(_ iso: String) -> String {
        var t = iso.replacingOccurrences(of: "T", with: " ")
        if t.hasSuffix("Z") { t.removeLast() }
        return t
    }

    static func duration(_ ms: Int) -> String {
        if ms < 1000 { return "\(ms) ms" }
        return ms < 60_000 ? String(format: "%.1f s", Double(ms) / 1000) : "\(ms / 60_000) min \(ms % 60_000 / 1000) s"
    }

    static func state(_ values: [String: String]?) -> String {
        (values ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    }

    /// Inline code that survives any backticks inside.
    static func code(_ text: String) -> String {
        let fence = text.contains("`") ? "`` " : "`"
        return fence + text + (fence == "`" ? "`" : " ``")
    }

    /// A GFM table cell: pipes escaped, line breaks as `<br>`.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>")
    }
}
