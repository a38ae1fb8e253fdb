import RunbookCore
import Foundation

/// Binds a section plan to an environment: parameter values, then every target a native action
/// touches (cluster, service, region, log group, DB instance, bucket, health/Prometheus/Redis URL).
///
/// Values come, in order, from `--set`, the environment in runbook.toml, the resolvers, then the
/// process environment. A literal target in a doc is fine when it is the chosen environment's
/// value, or another environment's (then it is retargeted, and the plan says so); anything else
/// is an error, so a doc never reaches a server its environment does not name.
public struct PlanBinder: Sendable {
    public var config: RunbookConfig
    public var environment: EnvironmentConfig
    /// `--set NAME=VALUE` pairs in the order given.
    public var sets: [(name: String, value: String)]
    public var processEnvironment: [String: String]
    public var resolvers: [any ParameterResolver]
    /// The run's start time: every `$(date -u +FORMAT)` of the run is evaluated at it, once.
    public var now: Date

    public init(config: RunbookConfig, environment: EnvironmentConfig, sets: [(name: String, value: String)] = [],
                processEnvironment: [String: String] = [:], resolvers: [any ParameterResolver] = [], now: Date = Date()) {
        self.now = now
        self.config = config
        self.environment = environment
        self.sets = sets
        self.processEnvironment = processEnvironment
        self.resolvers = resolvers
    }

    /// Binds the steps `selection` (ids) of `plan`. With `resolve: false` (dry run) resolvers are
    /// not called: their parameters are listed as pending.
    public func bind(_ plan: SectionPlan, selection: [String], resolve: Bool) async throws(ExecError) -> BoundPlan {
        let steps = plan.steps.filter { selection.contains($0.id) }
        var names: [String] = []
        for s in steps { for p in s.parameters where !names.contains(p) { names.append(p) } }
        // `$DATABASE_URL` written without braces is read by bash from the environment, not a doc
        // parameter; it is still bound (and must be set) when runbook.toml names its variable.
        for s in steps {
            for name in Self.unbracedSecretReferences(in: s, environment: environment) where !names.contains(name) {
                names.append(name)
            }
        }

        var problems: [String] = []
        let setKeys = Dictionary(sets.map { (ParameterName.key($0.name), $0.value) }, uniquingKeysWith: { _, last in last })
        let allNames = Set(plan.parameters.map(ParameterName.key))
        for s in sets where !allNames.contains(ParameterName.key(s.name)) {
            problems.append("--set \(s.name): section \(plan.target) has no parameter '\(s.name)' (it has: \(plan.parameters.isEmpty ? "none" : plan.parameters.joined(separator: ", ")))")
        }

        var redactor = Redactor.forEnvironment(processEnvironment, config: environment)
        var values: [String: BoundValue] = [:]
        var pending: [String: String] = [:]
        var unresolved: [String] = []
        for name in names {
            let key = ParameterName.key(name)
            let secret = environment.isSecretParameter(name)
            var found: BoundValue?
            if let v = setKeys[key] {
                found = BoundValue(value: v, source: .set, isSecret: secret)
            } else if let v = environment.parameter(name) ?? environment.parameter(key) {
                found = BoundValue(value: v, source: .environment(environment.name), isSecret: secret)
            } else if let variable = environment.value(forKey: key + "_env") {
                // `${DATABASE_URL}` with `database_url_env = "MINDHIT_DATABASE_URL"`: the value is a
                // secret kept in the variable the environment names, never in runbook.toml.
                guard let v = processEnvironment[variable], !v.isEmpty else {
                    if !resolve {
                        pending[name] = "$\(variable), named by \(key)_env (a secret; it must be set for the real run)"
                        continue
                    }
                    problems.append("parameter '\(name)': env \(environment.name) takes it from $\(variable) (\(key)_env in \(config.path)), which is not set")
                    continue
                }
                found = BoundValue(value: v, source: .environment("\(environment.name) via $\(variable)"), isSecret: true)
            } else if let resolver = resolvers.first(where: { $0.keys.contains(key) }) {
                if resolve {
                    let known = values.reduce(into: [String: String]()) { $0[ParameterName.key($1.key)] = $1.value.value }
                    do {
                        if let v = try await resolver.resolve(name, environment: environment, bound: known) {
                            found = BoundValue(value: v, source: .resolver(resolver.summary), isSecret: secret)
                        }
                    } catch {
                        problems.append("parameter '\(name)': the resolver (\(resolver.summary)) failed: \(redactor.redact(String(describing: error)))")
                        continue
                    }
                } else {
                    pending[name] = resolver.summary
                    continue
                }
            } else if let v = processEnvironment[name] {
                found = BoundValue(value: v, source: .processEnvironment, isSecret: secret)
            }
            if let found {
                values[name] = found
                if found.isSecret { redactor.add([found.value]) }
            } else {
                unresolved.append(name)
            }
        }
        if !unresolved.isEmpty {
            let uses = unresolved.map { name in
                let ids = steps.filter { $0.parameters.contains(name) }.map(\.id)
                return "\(name) (step \(ids.joined(separator: ", ")))"
            }
            problems.append("unresolved parameters: \(uses.joined(separator: "; ")); pass --set NAME=VALUE or add them to [env.\(environment.name).vars] in \(config.path)")
        }

        var shellEnvironment: [String: String] = [:]
        for (name, v) in values { shellEnvironment[ParameterName.shellVariable(name)] = v.value }
        if let region = environment.region {
            shellEnvironment["AWS_REGION"] = region
            shellEnvironment["AWS_DEFAULT_REGION"] = region
        }
        if let profile = environment.awsProfile { shellEnvironment["AWS_PROFILE"] = profile }
        // `psql "$DATABASE_URL"`: the connection string is a secret kept in the variable the
        // environment names (`database_url_env`); bash gets it as DATABASE_URL.
        if let variable = environment.databaseURLEnv {
            if let v = processEnvironment[variable], !v.isEmpty {
                shellEnvironment["DATABASE_URL"] = v
                redactor.add([v])
            } else if resolve {
                let users = steps.filter { step in
                    step.commands.contains { c in
                        if case .shell(let text) = c.action { return Self.readsUnbraced("DATABASE_URL", in: text) }
                        return false
                    }
                }.map(\.id)
                if !users.isEmpty {
                    problems.append("step \(users.joined(separator: ", ")) uses $DATABASE_URL: env \(environment.name) takes it from $\(variable) (database_url_env in \(config.path)), which is not set")
                }
            }
        }
        // The other secrets runbook.toml names with `NAME_env` reach shell steps (and the scripts
        // they call) as `$NAME` too (`redis_password_env` -> `$REDIS_PASSWORD`). The step already
        // inherits the variable under its own name, so this exposes nothing new.
        for (name, variable) in Self.secretVariables(of: environment) where name != "DATABASE_URL" {
            if let v = processEnvironment[variable], !v.isEmpty { shellEnvironment[name] = v }
        }

        var boundSteps: [BoundStep] = []
        for step in steps {
            var commands: [BoundCommand] = []
            for command in step.commands {
                let now = self.now
                let value: (String) -> String? = { name in values[name]?.value ?? pending[name].map { _ in "<\(name):pending>" } }
                switch command.action {
                case .shell(let text):
                    for problem in foreignTargets(in: text) {
                        problems.append("\(plan.docPath):\(command.line): step '\(step.id)': \(problem)")
                    }
                    do {
                        let display = Self.display(try ShellWords.parse(text), value: value, at: now)
                        let script = try ShellParameterRewriter.rewrite(text, datesAt: now)
                        commands.append(BoundCommand(planned: command, action: .shell(script: script, display: display), notes: []))
                    } catch {
                        problems.append("\(plan.docPath):\(command.line): step '\(step.id)': \(error.message)")
                    }
                case .native(let template):
                    var notes: [String] = []
                    // A native action's strings are words after quote removal, no longer shell text.
                    let bound = template.mapStrings { DateSubstitution.substitute(inWordText: ParameterName.substitute($0, value), at: now) }
                    do {
                        let action = try bindTargets(template: template, bound: bound, notes: &notes)
                        commands.append(BoundCommand(planned: command, action: .native(action), notes: notes))
                    } catch {
                        problems.append("\(plan.docPath):\(command.line): step '\(step.id)': \(error.message)")
                    }
                }
            }
            boundSteps.append(BoundStep(plan: step, commands: commands))
        }
        if !problems.isEmpty { throw ExecError(.bind, problems.map(redactor.redact)) }
        return BoundPlan(section: plan, environment: environment, values: values, pending: pending, steps: boundSteps,
                         shellEnvironment: shellEnvironment, redactor: redactor)
    }

    struct TargetError: Error { var message: String }

    /// What the run shows for a shell command: each parameter's value where it is written, and the
    /// run's date for each `$(date ...)` bash would expand.
    static func display(_ script: ShellScript, value: (String) -> String?, at now: Date) -> String {
        var edits = script.parameters.compactMap { o in o.parameterName.map { (range: o.range, text: value($0) ?? o.written) } }
        edits += DateSubstitution.occurrences(in: script).map { (range: $0.range, text: $0.substitution.value(at: now)) }
        return script.replacing(edits)
    }

    /// The environment's secret variables as shell steps see them: (`DATABASE_URL`, `MINDHIT_DATABASE_URL`)
    /// for `database_url_env = "MINDHIT_DATABASE_URL"`.
    static func secretVariables(of environment: EnvironmentConfig) -> [(name: String, variable: String)] {
        ["database_url_env", "redis_password_env", "slack_webhook_env"].compactMap { key in
            environment.value(forKey: key).map { (name: String(key.dropLast(4)).uppercased(), variable: $0) }
        }
    }

    /// Secret variables (`secretVariables`) a shell command of `step` reads as `$NAME`, without braces.
    static func unbracedSecretReferences(in step: StepPlan, environment: EnvironmentConfig) -> [String] {
        // `$DATABASE_URL` has its own check in `bind`.
        let secrets = secretVariables(of: environment).map(\.name).filter { $0 != "DATABASE_URL" }
        guard !secrets.isEmpty else { return [] }
        var found: [String] = []
        for command in step.commands {
            guard case .shell(let text) = command.action else { continue }
            for name in secrets where !found.contains(name) && Self.readsUnbraced(name, in: text) { found.append(name) }
        }
        return found
    }

    /// Whether bash reads `$NAME` in `text`: written without braces (`${NAME}` is a doc
    /// parameter), and not in single quotes, a comment or a literal here-document.
    static func readsUnbraced(_ name: String, in text: String) -> Bool {
        guard let script = try? ShellWords.parse(text) else { return false }
        return script.occurrences.contains { $0.kind == .expansion && $0.quoting.expands && $0.written == "$" + name }
    }

    /// Literal words of shell text that are another environment's target (cluster, service,
    /// bucket, URL, ...) where the chosen environment has a different one: bash would run them
    /// as written, against the wrong environment.
    func foreignTargets(in text: String) -> [String] {
        guard let script = try? ShellWords.parse(text) else { return [] }
        var found: [String] = []
        let others = config.environments.values.filter { $0.name != environment.name }.sorted { $0.name < $1.name }
        for command in script.commands {
            for word in command.words + command.redirections.compactMap(\.target) {
                guard let literal = word.literal else { continue }
                let candidates = [literal] + (literal.firstIndex(of: "=").map { [String(literal[literal.index(after: $0)...])] } ?? [])
                for candidate in candidates where !candidate.isEmpty {
                    for kind in TargetKind.allCases {
                        guard let chosen = environment.value(forKey: kind.rawValue), !Self.matches(kind, candidate, chosen),
                              let other = others.first(where: { $0.value(forKey: kind.rawValue).map { Self.matches(kind, candidate, $0) } ?? false })
                        else { continue }
                        let message = "shell text names \(kind.rawValue) '\(candidate)' of env \(other.name), but env \(environment.name) uses '\(chosen)'; bash would run it as written, so write ${\(kind.rawValue.uppercased())}"
                        if !found.contains(message) { found.append(message) }
                    }
                }
            }
        }
        return found
    }

    /// A shell word refers to a target: the same value, or for URLs, the value as its prefix.
    static func matches(_ kind: TargetKind, _ word: String, _ value: String) -> Bool {
        switch kind {
        case .healthURL, .prometheusURL, .redisURL:
            return word.hasPrefix(value.trimmingSuffix("/"))
        case .region:
            return false
        default:
            return word == value
        }
    }

    func bindTargets(template: NativeAction, bound: NativeAction, notes: inout [String]) throws(TargetError) -> NativeAction {
        var templateValues: [String?] = []
        _ = template.mapTargets { _, v in
            templateValues.append(v)
            return v
        }
        var index = 0
        var failure: TargetError?
        let result = bound.mapTargets { kind, value in
            defer { index += 1 }
            let written = index < templateValues.count ? templateValues[index] : nil
            do {
                return try target(kind, written: written, value: value, notes: &notes)
            } catch {
                failure = failure ?? (error as? TargetError) ?? TargetError(message: "\(error)")
                return value
            }
        }
        if let failure { throw failure }
        return result
    }

    /// The value a target takes in this environment (see the type's documentation).
    func target(_ kind: TargetKind, written: String?, value: String?, notes: inout [String]) throws(TargetError) -> String? {
        let chosen = environment.value(forKey: kind.rawValue)
        guard let value else {
            if kind.fillsWhenMissing, let chosen {
                notes.append("\(kind.rawValue) \(chosen) from env \(environment.name)")
                return chosen
            }
            return nil
        }
        if let written, !ParameterName.occurrences(in: written).isEmpty { return value }
        guard let chosen else { return value }
        if Self.same(kind, value, chosen) { return value }
        let others = config.environments.values.filter { $0.name != environment.name }.sorted { $0.name < $1.name }
        if let other = others.first(where: { $0.value(forKey: kind.rawValue).map { Self.same(kind, value, $0) } ?? false }) {
            notes.append("\(kind.rawValue) \(value) (env \(other.name)) retargeted to \(chosen) (env \(environment.name))")
            return chosen
        }
        let placeholder = "${\(kind.rawValue.uppercased())}"
        throw TargetError(message: "\(kind.rawValue) '\(value)' is written in the doc, but env \(environment.name) uses '\(chosen)' and no environment in \(config.path) uses '\(value)'; write \(placeholder) so the environment decides")
    }

    static func same(_ kind: TargetKind, _ a: String, _ b: String) -> Bool {
        switch kind {
        case .healthURL, .prometheusURL:
            return a.trimmingSuffix("/") == b.trimmingSuffix("/")
        case .redisURL:
            return RedisEndpoint(a) == RedisEndpoint(b)
        default:
            return a == b
        }
    }

    /// Host and port of a `redis://[user:pass@]host:port[/db]` URL, for comparing endpoints.
    struct RedisEndpoint: Equatable {
        var host: String
        var port: String

        init(_ url: String) {
            var rest = Substring(url)
            if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
            if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
            let parts = rest.split(separator: ":", maxSplits: 1)
            let h = parts.first.map(String.init) ?? "127.0.0.1"
            host = h == "localhost" ? "127.0.0.1" : h
            port = parts.count > 1 ? String(parts[1]) : "6379"
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}
