import Foundation
import SystemIO

/// The runs in an audit log, for `runbook audit show`.
public struct AuditHistory: Sendable {
    public struct RunEntry: Sendable {
        public var id: String
        public var records: [AuditRecord]
        /// The hash of the run's end record: the chain head the run printed and the Slack notice
        /// repeated (`audit verify` prints it too), covering every record up to the run's end.
        public var endHash: String? = nil
    }

    public var runs: [RunEntry]

    /// Reads every complete record of the log (torn lines are skipped; `verify` reports them).
    public static func load(path: String) throws(AuditLogError) -> AuditHistory {
        let data: [UInt8]
        do {
            data = try AuditLog.contents(of: path)
        } catch {
            throw AuditLogError("cannot read the audit log \(path): \(AuditLog.reason(error))")
        }
        var order: [String] = []
        var byRun: [String: [AuditRecord]] = [:]
        var endHashes: [String: String] = [:]
        let decoder = JSONDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let parts = AuditChain.split(line: Array(line)),
                  let r = try? decoder.decode(AuditRecord.self, from: Data(parts.body)) else { continue }
            if byRun[r.run] == nil { order.append(r.run) }
            byRun[r.run, default: []].append(r)
            if r.event == .runEnd || r.event == .refused { endHashes[r.run] = parts.hash }
        }
        return AuditHistory(runs: order.map { RunEntry(id: $0, records: byRun[$0] ?? [], endHash: endHashes[$0]) })
    }

    /// Runs as text: one header line per run, one line per step.
    public func render(run: String?, last: Int?) -> String {
        var selected = runs
        if let run { selected = selected.filter { $0.id == run || $0.id.hasPrefix(run) } }
        if let last { selected = Array(selected.suffix(last)) }
        var out = ""
        for entry in selected {
            guard let first = entry.records.first else { continue }
            let end = entry.records.last { $0.event == .runEnd || $0.event == .refused }
            let status = end?.status ?? "INTERRUPTED (no run-end record)"
            let who = first.operator.map { "\($0.user)@\($0.host)" + ($0.awsARN.map { " (\($0))" } ?? "") } ?? "?"
            out += "run \(entry.id)  \(first.doc ?? "?")#\(first.section ?? "?")  env \(first.env ?? "?")  \(status)\n"
            out += "    started \(first.time) by \(who); doc \(first.docCommit ?? "not in git") sha256 \(first.docSHA256?.prefix(12) ?? "?")\n"
            if let reason = end?.reason, end?.event == .refused { out += "    refused: \(reason)\n" }
            var starts: [String: AuditRecord] = [:]
            for r in entry.records {
                switch r.event {
                case .stepStart:
                    starts[r.step ?? ""] = r
                case .stepEnd:
                    let step = r.step ?? "?"
                    var line = "    \(step.padding(toLength: max(step.count, 18), withPad: " ", startingAt: 0))  \(r.status ?? "?")"
                    if let e = r.exitStatus, r.status != "ok" { line += " exit \(e)" }
                    if let d = r.durationMS { line += "  \(String(format: "%.1f", Double(d) / 1000))s" }
                    if let actions = starts[step]?.actions { line += "  " + actions.map(\.name).joined(separator: ", ") }
                    if let reason = r.reason { line += "  (\(reason))" }
                    out += line + "\n"
                    if let b = r.before { out += "        before: \(b.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))\n" }
                    if let a = r.after { out += "        after:  \(a.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))\n" }
                    starts[step] = nil
                default:
                    break
                }
            }
            for (step, _) in starts.sorted(by: { $0.key < $1.key }) { out += "    \(step)  started, never ended (interrupted)\n" }
            if let head = end?.chainHead { out += "    chain head before run-end: \(head)\n" }
        }
        return out.isEmpty ? "no runs\(run.map { " matching \($0)" } ?? "") in the log\n" : out
    }
}
