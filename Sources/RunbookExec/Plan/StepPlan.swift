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
    public var changesState: Bool
    /// Parameters the command uses, in order of first use.
    public var parameters: [String]

    public init(action: Action, source: String, line: Int, reason: String?, changesState: Bool, parameters: [String]) {
        self.action = action
        self.source = source
        self.line = line
        self.reason = reason
        self.changesState = changesState
        self.parameters = parameters
    }

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

    /// Whether any command may change the world.
    public var changesState: Bool { commands.contains(where: \.changesState) }

    /// Whether the runner asks before this step: when it changes state (by the plan's own
    /// reading, whatever `kind=` says) or the block asks for it (`confirm`, on by default for `act`).
    public var asks: Bool { !step.skip && (changesState || step.confirm) }

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
