import RunbookCore

/// Where a parameter's value came from.
public enum ValueSource: Sendable, Equatable, CustomStringConvertible {
    case set
    case environment(String)
    case resolver(String)
    case processEnvironment

    public var description: String {
        switch self {
        case .set: return "--set"
        case .environment(let env): return "env \(env) in runbook.toml"
        case .resolver(let what): return "resolver: \(what)"
        case .processEnvironment: return "the process environment"
        }
    }
}

/// A parameter with its value.
public struct BoundValue: Sendable, Equatable {
    public var value: String
    public var source: ValueSource
    public var isSecret: Bool
}

/// A planned command with parameters and targets filled in for one environment.
public struct BoundCommand: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case native(NativeAction)
        /// `script` is what bash runs (parameters read from `RUNBOOK_PARAM_*` variables);
        /// `display` is the text with values written in, for plans (redact before printing).
        case shell(script: String, display: String)
    }

    public var planned: PlannedCommand
    public var action: Action
    /// What binding changed or filled in, for the plan ("cluster from env staging").
    public var notes: [String]
}

/// A step, bound.
public struct BoundStep: Sendable, Equatable {
    public var plan: StepPlan
    public var commands: [BoundCommand]

    public var id: String { plan.id }
}

/// A section plan bound to an environment: every parameter has a value (or waits for its
/// resolver in a dry run), every target is the environment's.
public struct BoundPlan: Sendable {
    public var section: SectionPlan
    public var environment: EnvironmentConfig
    /// Values by parameter name as written in the doc.
    public var values: [String: BoundValue]
    /// Parameters a resolver will find at run time (dry run only).
    public var pending: [String: String]
    /// The steps this run covers, in order.
    public var steps: [BoundStep]
    /// Variables every shell step gets: `RUNBOOK_PARAM_*` and the environment's AWS region/profile.
    public var shellEnvironment: [String: String]
    public var redactor: Redactor

    /// Whether any step of this run may ask.
    /// Whether any step asks before it runs, in this environment.
    public var asks: Bool { steps.contains { asks($0) } }

    /// Whether the runner asks before `step` in this environment (see `StepPlan.asks(protected:)`).
    public func asks(_ step: BoundStep) -> Bool { step.plan.asks(protected: environment.isProtected) }

    public var touchesAWS: Bool {
        steps.contains { s in
            s.commands.contains { c in
                if case .native(let a) = c.action { return a.isAWS }
                return false
            }
        }
    }
}
