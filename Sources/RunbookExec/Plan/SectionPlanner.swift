import RunbookCore

/// Turns a section's step blocks into a plan: each block split into commands, each command a
/// native action when the recognition table knows it, else shell text for bash.
public enum SectionPlanner {
    /// The plan of `document`'s section `sectionID`, or every planning problem (file:line each).
    public static func plan(document: RunbookDocument, sectionID: String) throws(ExecError) -> SectionPlan {
        guard let section = document.section(id: sectionID) else {
            let ids = document.executableSections.map(\.heading.id)
            throw ExecError(.invalid, "\(document.path) has no section with id '\(sectionID)'; executable sections: \(ids.isEmpty ? "none" : ids.joined(separator: ", "))")
        }
        let steps = section.allSteps
        guard !steps.isEmpty else {
            throw ExecError(.invalid, "\(document.path):\(section.heading.line): section '\(sectionID)' has no step blocks to run")
        }
        var plans: [StepPlan] = []
        var problems: [String] = []
        for step in steps {
            do {
                let planned = try plan(step: step)
                if let contradiction = planned.kindContradiction {
                    problems.append("\(document.path):\(step.line): \(contradiction); nothing was run")
                }
                plans.append(planned)
            } catch {
                problems.append("\(document.path):\(step.line + error.line): step '\(step.id)': \(error.message)")
            }
        }
        let ids = Set(steps.map(\.id))
        for step in steps {
            if let c = step.condition, !ids.contains(c.stepID) {
                problems.append("\(document.path):\(step.line): step '\(step.id)' has if=\(c) but section '\(sectionID)' has no step '\(c.stepID)'")
            } else if let c = step.condition, let target = steps.first(where: { $0.id == c.stepID }), target.line > step.line {
                problems.append("\(document.path):\(step.line): step '\(step.id)' has if=\(c) but '\(c.stepID)' comes after it")
            }
        }
        if !problems.isEmpty { throw ExecError(.plan, problems) }
        return SectionPlan(docPath: document.path, docName: document.name, sectionID: sectionID, title: section.heading.text, steps: plans)
    }

    /// Shell built-ins and keywords whose effect outlives their own line: a block using one runs
    /// whole in one bash, so the state it sets is there for the commands after it.
    static let statefulWords: Set<String> = [
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "select", "function",
        "{", "}", "[[", "export", "cd", "pushd", "popd", "source", ".", "set", "unset", "alias", "eval", "exec", "trap",
        "shopt", "read", "local", "declare", "typeset", "readonly", "wait",
    ]

    /// The plan of one step block.
    public static func plan(step: Step) throws(ShellWords.ParseError) -> StepPlan {
        let text = step.shellText
        let script = try ShellWords.parse(text)
        let firstLine = step.line + 1
        if let why = statefulReason(script) {
            let command = PlannedCommand(action: .shell(text.trimmingTrailingNewlines), source: text.trimmingTrailingNewlines, line: firstLine,
                                         reason: why, effect: CommandClassifier.classify(script),
                                         parameters: script.parameterNames)
            return StepPlan(step: step, commands: [command])
        }
        var commands: [PlannedCommand] = []
        var unit: [SimpleCommand] = []
        func closeUnit() {
            guard let first = unit.first else { return }
            defer { unit = [] }
            let source = unit.enumerated().map { i, c in
                i == unit.count - 1 ? c.source : c.source + " " + (c.terminator?.rawValue ?? "")
            }.joined(separator: " ")
            var parameters: [String] = []
            for c in unit { for p in script.parameterNames(in: c.range) where !parameters.contains(p) { parameters.append(p) } }
            let line = firstLine + first.line - 1
            if unit.count > 1 {
                let ops = Set(unit.dropLast().compactMap { $0.terminator?.rawValue }).sorted().joined(separator: " ")
                append(PlannedCommand(action: .shell(source), source: source, line: line, reason: "a pipeline or list (\(ops)) runs in bash",
                                      effect: unit.map(CommandClassifier.classify).reduce(.readOnly) { $0.combined(with: $1) }, parameters: parameters))
                return
            }
            switch CommandRecognizer.recognize(first) {
            case .native(let action):
                commands.append(PlannedCommand(action: .native(action), source: source, line: line, reason: nil,
                                               effect: CommandClassifier.classify(first), parameters: parameters))
            case .shell(let reason):
                append(PlannedCommand(action: .shell(source), source: source, line: line, reason: reason,
                                      effect: CommandClassifier.classify(first), parameters: parameters))
            }
        }
        /// Adjacent shell commands run in one bash, as a terminal would run them.
        func append(_ command: PlannedCommand) {
            if var last = commands.last, case .shell(let text) = last.action, case .shell(let more) = command.action {
                last.action = .shell(text + "\n" + more)
                last.source = last.source + "\n" + command.source
                last.reason = [last.reason, command.reason].compactMap { $0 }.joined(separator: "; ")
                last.effect = last.effect.combined(with: command.effect)
                for p in command.parameters where !last.parameters.contains(p) { last.parameters.append(p) }
                commands[commands.count - 1] = last
            } else {
                commands.append(command)
            }
        }
        for command in script.commands {
            unit.append(command)
            switch command.terminator {
            case .pipe, .pipeAll, .or: continue
            default: closeUnit()
            }
        }
        closeUnit()
        return StepPlan(step: step, commands: commands)
    }

    static func statefulReason(_ script: ShellScript) -> String? {
        if script.hasHeredoc { return "the block has a here-document, so it runs whole in bash" }
        for op in ["&", "(", ")", ";;"] where script.operators.contains(op) {
            return "the block uses '\(op)', so it runs whole in bash"
        }
        for command in script.commands {
            guard let first = command.words.first else { continue }
            if let word = first.literal, statefulWords.contains(word) {
                return "the block uses '\(word)' (line \(command.line)), which keeps shell state, so it runs whole in bash"
            }
            if let eq = first.raw.firstIndex(of: "="), first.raw[..<eq].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
               eq != first.raw.startIndex {
                return "the block assigns a shell variable (line \(command.line)), so it runs whole in bash"
            }
        }
        return nil
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
