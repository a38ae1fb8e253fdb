import RunbookCore
import Foundation

/// `runbook exec`: plan, bind, gate, lock, run and record one section.
public enum RunbookRunner {
    /// Runs `request` and returns the exit status: 0 every step ok, 1 a step failed (or the run
    /// was interrupted). Refusals and invalid requests throw `ExecError` (exit status 2), after
    /// recording the refusal in the audit log when a run was refused.
    public static func exec(_ request: ExecRequest, docSet: DocSet, world: ExecWorld) async throws(ExecError) -> Int32 {
        let (document, sectionID) = try locate(request.target, in: docSet)
        // Only the doc being run must be sound: a broken link elsewhere must not block an incident.
        let docErrors = docSet.errors.filter { $0.file == document.path }
        if !docErrors.isEmpty { throw ExecError(.plan, docErrors.map(\.description)) }
        let plan = try SectionPlanner.plan(document: document, sectionID: sectionID)
        let selection = try select(plan, only: request.only, from: request.from)
        let environment = try chooseEnvironment(request.environment, config: docSet.config)
        let binder = PlanBinder(config: docSet.config, environment: environment, sets: request.sets,
                                processEnvironment: world.processEnvironment, resolvers: world.resolvers)
        let bound = try await binder.bind(plan, selection: selection, resolve: !request.dryRun)
        return try await showPlanAndRun(request, bound: bound, docSet: docSet, document: document, world: world)
    }

    /// Prints the plan and stops (`--dry-run`), or shows it and runs it: the one tail of every
    /// run, `runbook exec` and the ECS commands alike (`DirectRun`).
    static func showPlanAndRun(_ request: ExecRequest, bound: BoundPlan, docSet: DocSet, document: RunbookDocument,
                               world: ExecWorld) async throws(ExecError) -> Int32 {
        let report = PlanReport(bound, yes: request.yes)
        if request.dryRun {
            world.reporter.write(request.json ? report.json() + "\n" : report.text(), false)
            return 0
        }
        world.reporter.plan(report)
        return try await Run(request: request, docSet: docSet, document: document, bound: bound, world: world).execute()
    }

    static func locate(_ target: String, in docSet: DocSet) throws(ExecError) -> (RunbookDocument, String) {
        guard let hash = target.lastIndex(of: "#") else {
            throw ExecError(.invalid, "'\(target)' is not DOC#ID (e.g. incident-response#api-down); `runbook list` shows them all")
        }
        var name = String(target[..<hash])
        let id = String(target[target.index(after: hash)...])
        let docsPrefix = docSet.config.site.docs + "/"
        if name.hasPrefix(docsPrefix) { name.removeFirst(docsPrefix.count) }
        if name.hasSuffix(".md") { name.removeLast(3) }
        guard let document = docSet.document(named: name) else {
            throw ExecError(.invalid, "no doc '\(name)' in \(docSet.config.site.docs); docs: \(docSet.documents.map(\.name).joined(separator: ", "))")
        }
        return (document, id)
    }

    static func select(_ plan: SectionPlan, only: [String], from: String?) throws(ExecError) -> [String] {
        let ids = plan.steps.map(\.id)
        var problems: [String] = []
        for id in only + (from.map { [$0] } ?? []) where !ids.contains(id) {
            problems.append("section \(plan.target) has no step '\(id)'; its steps: \(ids.joined(separator: ", "))")
        }
        if !problems.isEmpty { throw ExecError(.invalid, problems) }
        var selected = ids
        if let from, let start = ids.firstIndex(of: from) { selected = Array(ids[start...]) }
        if !only.isEmpty { selected = selected.filter { only.contains($0) } }
        guard !selected.isEmpty else { throw ExecError(.invalid, "--only and --from leave no step of \(plan.target) to run") }
        return selected
    }

    static func chooseEnvironment(_ name: String?, config: RunbookConfig) throws(ExecError) -> EnvironmentConfig {
        if let name {
            do {
                return try config.environment(name)
            } catch {
                throw ExecError(.invalid, error.description)
            }
        }
        let names = config.environmentNames
        if names.isEmpty { return EnvironmentConfig(name: "local") }
        if names.count == 1, let only = config.environments[names[0]] { return only }
        throw ExecError(.invalid, "pass --env NAME: \(config.path) has several environments (\(names.joined(separator: ", ")))")
    }
}
