import RunbookCore

/// Planning problems of one step, found without any network call (for `runbook check`): the
/// block does not parse, a recognised AWS command carries a flag runbook does not know (it would
/// run in bash as written: usually a misspelling), or a literal target (cluster, bucket, URL, ...)
/// that belongs to another environment or to none.
public enum StepPlanProblems {
    public static func problems(step: Step, config: RunbookConfig) -> [String] {
        let plan: StepPlan
        do {
            plan = try SectionPlanner.plan(step: step)
        } catch {
            return ["step '\(step.id)' does not parse (line \(step.line + error.line)): \(error.message)"]
        }
        var out: [String] = []
        func add(_ message: String) { if !out.contains(message) { out.append(message) } }
        if let contradiction = plan.kindContradiction { add(contradiction) }
        for command in plan.commands {
            guard case .shell = command.action, let script = try? ShellWords.parse(command.source) else { continue }
            for simple in script.commands {
                let unknown = CommandRecognizer.unknownAWSOptions(simple)
                if !unknown.isEmpty {
                    let program = simple.words.prefix(3).map(\.text).joined(separator: " ")
                    add("step '\(step.id)' line \(command.line): \(program) has \(unknown.joined(separator: ", ")), which neither runbook nor the AWS CLI knows; the command would run in bash and fail")
                }
            }
        }
        for name in config.environmentNames {
            guard let environment = config.environments[name] else { continue }
            let binder = PlanBinder(config: config, environment: environment)
            for command in plan.commands {
                switch command.action {
                case .shell(let text):
                    for p in binder.foreignTargets(in: text) { add("step '\(step.id)' line \(command.line) (env \(name)): \(p)") }
                case .native(let template):
                    var notes: [String] = []
                    // Parameters stay as written: they are the environment's to fill, not literal targets.
                    do {
                        _ = try binder.bindTargets(template: template, bound: template, notes: &notes)
                    } catch {
                        add("step '\(step.id)' line \(command.line) (env \(name)): \(error.message)")
                    }
                    for note in notes where note.contains("retargeted") {
                        add("step '\(step.id)' line \(command.line): a literal target of another environment: \(note); write the ${NAME} parameter so the environment decides")
                    }
                }
            }
        }
        return out
    }
}
