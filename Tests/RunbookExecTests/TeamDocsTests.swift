import RunbookCore
import Foundation
import Testing
@testable import RunbookExec

/// Every executable section of the team's docs (docs/operations, with the project's runbook.toml)
/// plans and binds in a dry run, for every environment: one test case per section and environment.
@Suite("Team docs plan in dry run")
struct TeamDocsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var target: String
        var env: String
        var testDescription: String { "\(target) --env \(env)" }
    }

    static let config = Fixture.packageRoot.appendingPathComponent("runbook.toml").path

    static func cases() -> [Case] {
        CommonMarkConverter.registerExtensions()
        guard let docSet = try? DocSet.load(configPath: config) else { return [] }
        return docSet.documents.flatMap { doc in
            doc.executableSections.flatMap { section in
                docSet.config.environmentNames.map { Case(target: "\(doc.name)#\(section.heading.id)", env: $0) }
            }
        }
    }

    @Test(arguments: cases())
    func plansWithoutError(_ c: Case) async throws {
        let docSet = try DocSet.load(configPath: Self.config)
        let capture = Capture()
        var request = ExecRequest(target: c.target, environment: c.env)
        request.dryRun = true
        // `<name>` placeholders other than resolver ones are the operator's to give, as on call.
        let parts = c.target.split(separator: "#").map(String.init)
        let section = try #require(docSet.document(named: parts[0])?.section(id: parts[1]))
        let operatorParameters = Set(section.allSteps.flatMap { step in
            step.parameters.filter { step.code.contains("<\($0)>") && $0 != "task-id" }
        })
        request.sets = operatorParameters.sorted().map { ($0, "example-\($0)") }
        let world = ExecWorld(processEnvironment: ["PATH": "/usr/bin:/bin"], executor: FakeExecutor(),
                              resolvers: [ServiceTasksResolver(source: DryRunTasksSource())],
                              prompter: ScriptedPrompter(isInteractive: false, answer: false), interrupt: InterruptFlag(),
                              reporter: capture.reporter())
        let code = try await RunbookRunner.exec(request, docSet: docSet, world: world)
        #expect(code == 0)
        #expect(capture.stdout.contains("plan: \(c.target)"))
    }
}
