import Foundation
import Testing
@testable import RunbookCore

/// The team's own docs in `docs/operations/`: they parse, link, and expose the sections later issues run.
@Suite struct TeamDocsTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load() throws -> DocSet {
        try DocSet.load(configPath: root.appendingPathComponent("runbook.toml").path)
    }

    static func section(_ target: String, in set: DocSet) throws -> Section {
        let parts = target.split(separator: "#").map(String.init)
        let doc = try #require(set.document(named: parts[0]), "no doc \(parts[0])")
        return try #require(doc.section(id: parts[1]), "no section \(target)")
    }

    @Test func theFourDocsParseAndLinkWithoutAnyFinding() throws {
        let set = try Self.load()
        #expect(set.documents.map(\.name) == ["backup-recovery", "contacts", "incident-response", "runbook"])
        #expect(set.diagnostics.isEmpty, "\(set.diagnostics.map(\.description))")
    }

    @Test func everyDocHasCompleteFrontMatter() throws {
        for doc in try Self.load().documents {
            let matter = doc.frontMatter
            #expect(matter.title?.isEmpty == false, "\(doc.path): title")
            #expect(matter.owner?.isEmpty == false, "\(doc.path): owner")
            #expect(matter.reviewed == CalendarDate(year: 2026, month: 11, day: 27), "\(doc.path): reviewed")
            #expect((matter.reviewEveryDays ?? 0) > 0, "\(doc.path): review_every")
        }
    }

    @Test func theScenariosRollbackAndBackupSectionsAreExecutable() throws {
        let set = try Self.load()
        let targets = Set(set.documents.flatMap { doc in doc.executableSections.map { "\(doc.name)#\($0.heading.id)" } })
        let expected = [
            "incident-response#api-down", "incident-response#db-connections", "incident-response#redis-oom",
            "incident-response#ai-latency", "runbook#rollback", "backup-recovery#pg-backup",
            "backup-recovery#pg-restore", "backup-recovery#restore-drill",
        ]
        for target in expected { #expect(targets.contains(target), "\(target) is not executable") }
    }

    @Test func apiDownDiagnosesRedeploysVerifiesAndRollsBackOnlyWhenStillDown() throws {
        let steps = try Self.section("incident-response#api-down", in: Self.load()).allSteps
        #expect(steps.map(\.id) == ["health-before", "tasks", "logs", "redeploy", "health-after", "rollback", "health-after-rollback"])
        #expect(steps.map(\.kind) == [.diagnose, .diagnose, .diagnose, .act, .verify, .act, .verify])
        #expect(steps.map { $0.condition?.description } == [nil, nil, nil, "failed:health-before", nil, "failed:health-after", "ok:rollback"])
        #expect(steps.allSatisfy { $0.hasExplicitID && $0.hasExplicitKind })
        #expect(steps[1].code.contains("aws ecs describe-tasks --cluster ${CLUSTER} --tasks <task-id>"))
        #expect(steps[3].code.contains("aws ecs update-service --cluster ${CLUSTER} --service ${SERVICE} --force-new-deployment"))
        #expect(steps[5].code == "./scripts/rollback.sh\n")
    }

    @Test func rollbackChecksStatusThenRollsBackThenChecksHealth() throws {
        let steps = try Self.section("runbook#rollback", in: Self.load()).allSteps
        #expect(steps.map(\.id) == ["rollback-status", "rollback", "rollback-health"])
        #expect(steps.map(\.kind) == [.diagnose, .act, .verify])
        #expect(steps[0].code == "aws ecs describe-services --cluster ${CLUSTER} --services ${SERVICE}\n")
    }

    @Test func everyStepNamesItsKindAndIdAndChangesAskFirstUnlessLocal() throws {
        for doc in try Self.load().documents {
            for step in doc.steps {
                #expect(step.hasExplicitID && step.hasExplicitKind, "\(doc.path):\(step.line) \(step.id)")
                // Only steps that write local files skip the question.
                if step.kind == .act && !step.confirm {
                    #expect(!step.code.contains("aws ecs") && !step.code.contains("psql"), "\(doc.path):\(step.line) \(step.id)")
                }
            }
        }
    }

    @Test func everyEnvironmentParameterResolvesInStagingAndProduction() throws {
        let set = try Self.load()
        for name in ["staging", "production"] {
            let env = try set.config.environment(name)
            for doc in set.documents {
                for step in doc.steps {
                    for parameter in step.parameters where parameter == parameter.uppercased() {
                        #expect(env.parameter(parameter) != nil, "\(doc.path):\(step.line) ${\(parameter)} has no value in [env.\(name)]")
                    }
                }
            }
        }
    }

    @Test func noStepWritesAConnectionURLInline() throws {
        for doc in try Self.load().documents {
            for step in doc.steps {
                for scheme in ["postgres://", "postgresql://", "redis://", "rediss://"] {
                    #expect(!step.code.contains(scheme), "\(doc.path):\(step.line) \(step.id) writes a \(scheme) URL")
                }
            }
        }
    }

    @Test func everyScriptAStepRunsExistsAndIsExecutable() throws {
        var scripts: Set<String> = []
        for doc in try Self.load().documents {
            for step in doc.steps {
                for word in step.code.split(whereSeparator: { $0.isWhitespace }) where word.hasPrefix("./scripts/") {
                    scripts.insert(String(word.dropFirst(2)))
                }
            }
        }
        #expect(scripts == ["scripts/rollback.sh", "scripts/restore-drill.sh", "scripts/restore-target.sh"])
        for script in scripts {
            let path = Self.root.appendingPathComponent(script).path
            #expect(FileManager.default.isExecutableFile(atPath: path), "\(script) is missing or not executable")
        }
    }
}
