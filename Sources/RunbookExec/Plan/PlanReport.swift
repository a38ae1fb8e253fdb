import RunbookCore
import Foundation

/// The plan as `--dry-run` shows it (text) and `--json` prints it; secrets already redacted.
public struct PlanReport: Encodable, Sendable {
    public struct Parameter: Encodable, Sendable {
        public var name: String
        public var value: String?
        public var source: String
        public var secret: Bool
    }

    public struct Command: Encodable, Sendable {
        public var line: Int
        /// `native` or `shell`.
        public var type: String
        public var action: String
        public var args: [String: String]?
        public var argOrder: [String]?
        public var text: String?
        public var reason: String?
        public var changesState: Bool
        public var notes: [String]?

        enum CodingKeys: String, CodingKey {
            case line, type, action, args, text, reason, notes
            case changesState = "changes_state"
        }
    }

    public struct StepEntry: Encodable, Sendable {
        public var id: String
        public var kind: String
        public var line: Int
        public var timeoutSeconds: Int
        public var condition: String?
        public var skip: Bool
        public var changesState: Bool
        /// What the runner asks before the step (nil: nothing).
        public var asks: String?
        /// Why the classifier cannot confirm a `diagnose`/`verify` step reads only (run on the doc's word).
        public var unverified: String?
        public var commands: [Command]

        enum CodingKeys: String, CodingKey {
            case id, kind, line, condition, skip, asks, unverified, commands
            case timeoutSeconds = "timeout_seconds"
            case changesState = "changes_state"
        }
    }

    public var target: String
    public var doc: String
    public var title: String
    public var env: String
    public var protected: Bool
    public var parameters: [Parameter]
    /// What the run checks before its first step (account, lock).
    public var checks: [String]
    public var steps: [StepEntry]

    public init(_ plan: BoundPlan, yes: Bool) {
        let r = plan.redactor
        let env = plan.environment
        target = plan.section.target
        doc = plan.section.docPath
        title = plan.section.title
        self.env = env.name
        protected = env.isProtected
        var params: [Parameter] = []
        for name in plan.section.parameters {
            if let v = plan.values[name] {
                params.append(Parameter(name: name, value: v.isSecret ? Redactor.mask : r.redact(v.value), source: v.source.description, secret: v.isSecret))
            } else if let p = plan.pending[name] {
                params.append(Parameter(name: name, value: nil, source: "resolved at run time: \(p)", secret: env.isSecretParameter(name)))
            }
        }
        parameters = params
        var checks: [String] = []
        if plan.touchesAWS {
            checks.append(env.awsAccount.map { "STS GetCallerIdentity must report account \($0) before any step" }
                          ?? "no aws_account in env \(env.name): the AWS account is not checked")
        }
        checks.append("one run at a time for env \(env.name), service \(env.service ?? plan.section.target) (lock)")
        if plan.asks {
            checks.append(yes ? "--yes: state-changing steps run without asking" : "without a terminal, the run refuses before any step (pass --yes)")
        }
        let deploys = plan.steps.filter { step in
            step.commands.contains { c in
                if case .native(let a) = c.action { return [.ecsDeploymentChange].contains(a.changeKind) }
                return false
            }
        }.map(\.id)
        if !deploys.isEmpty {
            let subject = deploys.count == 1 ? "step \(deploys[0]) refuses" : "steps \(deploys.joined(separator: ", ")) refuse"
            checks.append("\(subject) while the service has a deployment in progress that this run did not start (--force overrides)")
        }
        let selected = Set(plan.steps.map(\.id))
        for id in plan.steps.map(\.id) {
            let handlers = plan.steps.filter { $0.plan.step.condition?.stepID == id && $0.plan.step.condition?.outcome == .failed }.map(\.id)
            guard !handlers.isEmpty, selected.contains(id) else { continue }
            checks.append("if \(id) fails, the run goes on to \(handlers.joined(separator: ", ")) (if=failed:\(id)); it then passes only if a verify step passes after it")
        }
        if let variable = env.slackWebhookEnv {
            checks.append("Slack notices through $\(variable) when it is set: run start, each failed step, run end with the chain head")
        }
        self.checks = checks
        steps = plan.steps.map { step in
            let s = step.plan.step
            let asks: String? = !plan.asks(step) ? nil
                : yes ? "nothing (--yes)"
                : Self.question(step: s.id, environment: env)
            return StepEntry(
                id: s.id, kind: s.kind.rawValue, line: s.line, timeoutSeconds: s.timeoutSeconds, condition: s.condition?.description,
                skip: s.skip, changesState: step.plan.changesState, asks: asks,
                unverified: step.plan.readOnlyByDocsWord ? step.plan.effect.reason : nil,
                commands: step.commands.map { c in
                    switch c.action {
                    case .native(let a):
                        let args = a.arguments
                        return Command(line: c.planned.line, type: "native", action: a.name,
                                       args: Dictionary(args.map { ($0.key, r.redact($0.value)) }, uniquingKeysWith: { a, _ in a }),
                                       argOrder: args.map(\.key), text: nil, reason: nil, changesState: c.planned.changesState,
                                       notes: c.notes.isEmpty ? nil : c.notes.map(r.redact))
                    case .shell(_, let display):
                        return Command(line: c.planned.line, type: "shell", action: "bash", args: nil, argOrder: nil, text: r.redact(display),
                                       reason: c.planned.reason, changesState: c.planned.changesState, notes: nil)
                    }
                })
        }
    }

    /// The question asked before a state-changing step.
    public static func question(step: String, environment: EnvironmentConfig) -> String {
        if environment.isProtected {
            return "step \(step) changes \(environment.name) (protected): type the service name (\(environment.service ?? environment.name)) to run it:"
        }
        return "step \(step) changes \(environment.name): run it? [y/N]"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The plan as an SRE reads it before signing off.
    public func text() -> String {
        var out = "plan: \(target) \"\(title)\" (\(doc)) on env \(env)\(protected ? " (protected)" : "")\n"
        if !parameters.isEmpty {
            out += "parameters:\n"
            let width = parameters.map(\.name.count).max() ?? 0
            for p in parameters {
                out += "  \(p.name.padding(toLength: width, withPad: " ", startingAt: 0))  = \(p.value ?? "?")  (\(p.source))\n"
            }
        }
        out += "before the first step:\n"
        for c in checks { out += "  - \(c)\n" }
        out += "steps:\n"
        for (i, s) in steps.enumerated() {
            var head = "  \(i + 1). \(s.id)  [\(s.kind)]  timeout \(DurationText.format(seconds: s.timeoutSeconds))"
            if let c = s.condition { head += "  if=\(c)" }
            if s.skip { head += "  SKIP (never run)" }
            head += s.changesState ? "  CHANGES STATE" : s.unverified != nil ? "  read-only by the doc's word, not verified" : "  read-only"
            out += head + "  (line \(s.line))\n"
            out += "     asks: \(s.asks ?? "nothing")\n"
            if let why = s.unverified { out += "     not verified: \(why)\n" }
            for c in s.commands {
                if c.type == "native" {
                    let args = (c.argOrder ?? []).compactMap { k in c.args?[k].map { "\(k)=\($0)" } }
                    out += "     native \(c.action)\(c.changesState ? " (changes state)" : "")\n"
                    for a in args { out += "         \(a)\n" }
                    for n in c.notes ?? [] { out += "         note: \(n)\n" }
                } else {
                    out += "     shell (bash, set -euo pipefail)\(c.changesState ? " (may change state)" : ""):\n"
                    for l in (c.text ?? "").split(separator: "\n", omittingEmptySubsequences: false) { out += "         \(l)\n" }
                    if let r = c.reason { out += "         why shell: \(r)\n" }
                }
            }
        }
        return out
    }
}
