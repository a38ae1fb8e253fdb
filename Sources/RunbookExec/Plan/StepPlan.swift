import RunbookCore

/// One command of a step: a native action, or shell text that bash runs with `set -euo pipefail`.
public struct PlannedCommand: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case native(NativeAction)
        /// Shell text as written (parameters still in it).
        case shell(String)
    }

    public var action: Action
    /// The command as written in the doc.
    public var source: String
    /// Line in the doc where the command starts.
    public var line: Int
    /// Why a shell command is not native (nil for native actions).
    public var reason: String?
    /// What the command does to the world, by the one classifier (`CommandClassifier`).
    public var effect: StateEffect
    /// Parameters the command uses, in order of first use.
    public var parameters: [String]

    public init(action: Action, source: String, line: Int, reason: String?, effect: StateEffect, parameters: [String]) {
        self.action = action
        self.source = source
        self.line = line
        self.reason = reason
        self.effect = effect
        self.parameters = parameters
    }

    /// Whether the command may change the world (known to, or not known not to).
    public var changesState: Bool { effect.mayChangeState }

    public var isNative: Bool {
        if case .native = action { return true }
        return false
    }
}

/// A step of a section, planned: its commands and what the runner will do about it.
public struct StepPlan: Sendable, Equatable {
    public var step: Step
    public var commands: [PlannedCommand]

    public init(step: Step, commands: [PlannedCommand]) {
        self.step = step
        self.commands = commands
    }

    public var id: String { step.id }

    /// What the step does to the world: the strongest effect of its commands.
    public var effect: StateEffect {
        commands.reduce(StateEffect.readOnly) { $0.combined(with: $1.effect) }
    }

    /// Whether the plan treats the step as a change: known to change state, or unknown while the
    /// doc does not call it `diagnose`/`verify` (for an unknown command the doc's word stands, and
    /// the plan says it is not verified).
    public var changesState: Bool {
        switch effect {
        case .readOnly: return false
        case .changesState: return true
        case .unknown: return step.kind == .act
        }
    }

    /// A read-only kind on a command the classifier knows changes state: refused by `exec`, an
    /// error in `check`. (A doc cannot label `rm -rf` a diagnosis.)
    public var kindContradiction: String? {
        guard step.kind != .act, case .changesState(let why) = effect else { return nil }
        return "step '\(step.id)' is kind=\(step.kind.rawValue) but changes state (\(why)); write kind=act"
    }

    /// `kind=diagnose`/`verify` on a command the classifier does not know: run as read-only on the
    /// doc's word.
    public var readOnlyByDocsWord: Bool {
        if case .unknown = effect, step.kind != .act { return true }
        return false
    }

    /// Whether the runner asks before this step in `environment`: a protected environment asks
    /// before every change and wherever the block asks (`confirm`, on by default for `act`);
    /// elsewhere the block decides, so `confirm=false` is honoured.
    public func asks(protected: Bool) -> Bool {
        guard !step.skip else { return false }
        return protected ? (changesState || step.confirm) : step.confirm
    }


    public var parameters: [String] {
        var out: [String] = []
        for c in commands { for p in c.parameters where !out.contains(p) { out.append(p) } }
        return out
    }
}

/// The plan of one `DOC#ID` section: its steps in document order.
public struct SectionPlan: Sendable, Equatable {
    public var docPath: String
    public var docName: String
    public var sectionID: String
    public var title: String
    public var steps: [StepPlan]

    public init(docPath: String, docName: String, sectionID: String, title: String, steps: [StepPlan]) {
        self.docPath = docPath
        self.docName = docName
        self.sectionID = sectionID
        self.title = title
        self.steps = steps
    }

    public var target: String { "\(docName)#\(sectionID)" }

    public var parameters: [String] {
        var out: [String] = []
        for s in steps { for p in s.parameters where !out.contains(p) { out.append(p) } }
        return out
    }
}
