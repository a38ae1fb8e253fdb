import Foundation
import OpsActions
import Testing
import TestSupport

@Suite("Deployment records on disk")
struct DeploymentRecordStoreTests {
    static func record(_ n: Int) -> DeploymentRecordStore.Record {
        .init(action: "redeploy", previousTaskDefinition: "api:\(n)", previousDesiredCount: 2, newTaskDefinition: "api:\(n + 1)")
    }

    @Test("a corrupt file is an error naming it, and is left as it was: never read as empty, never overwritten")
    func corruptFileIsAnError() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("ecs-deployments.json")
        try Data("{\"ap-northeast-2/c/api\": [{\"action\": \"redeploy\", \"previousTask".utf8).write(to: URL(fileURLWithPath: path))
        let store = DeploymentRecordStore(path: path)
        #expect { try store.records(region: "ap-northeast-2", cluster: "c", service: "api") } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("cannot read the deployment records")
        }
        #expect(throws: DeploymentStateError.self) { try store.append(Self.record(1), region: "ap-northeast-2", cluster: "c", service: "api") }
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("previousTask"), "the file is not overwritten")
    }

    @Test("no file yet is no records; writers in parallel keep every record (file lock, write and rename)")
    func parallelWritersKeepEveryRecord() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state/ecs-deployments.json")
        #expect(try DeploymentRecordStore(path: path).records(region: "r", cluster: "c", service: "s").isEmpty)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for i in 0..<5 {
                        try? DeploymentRecordStore(path: path).append(Self.record(writer * 10 + i), region: "r", cluster: "c", service: "s")
                    }
                }
            }
        }
        let all = try DeploymentRecordStore(path: path).records(region: "r", cluster: "c", service: "s")
        #expect(all.count == 20)
        #expect(Set(all.map(\.previousTaskDefinition)).count == 20)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.file("state")).filter { !$0.hasPrefix("ecs-deployments.json") }
        #expect(leftovers.isEmpty, "no temporary file left: \(leftovers)")
    }

    @Test("a file written before deployment ids and outcomes still reads, and keeps its records when amended")
    func oldFileStillDecodes() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("ecs-deployments.json")
        try Data("""
            {"ap-northeast-2/c/api": [{"action": "redeploy", "at": "2026-11-20T01:02:03Z", "newTaskDefinition": "api:3",
              "previousDesiredCount": 2, "previousTaskDefinition": "api:3"}]}
            """.utf8).write(to: URL(fileURLWithPath: path))
        let store = DeploymentRecordStore(path: path)
        let old = try store.records(region: "ap-northeast-2", cluster: "c", service: "api")
        #expect(old.count == 1)
        #expect(old.first?.id == nil && old.first?.deploymentID == nil && old.first?.outcome == nil)

        let added = DeploymentRecordStore.Record(action: "rollback", previousTaskDefinition: "api:3", previousDesiredCount: 2,
                                                 newTaskDefinition: "api:2")
        let id = try #require(added.id)
        try store.append(added, region: "ap-northeast-2", cluster: "c", service: "api")
        try store.amend(id: id, region: "ap-northeast-2", cluster: "c", service: "api") { $0.deploymentID = "ecs-svc/42" }
        try store.amend(id: id, region: "ap-northeast-2", cluster: "c", service: "api") { $0.outcome = .rolledBack }
        let now = try store.records(region: "ap-northeast-2", cluster: "c", service: "api")
        #expect(now.map(\.action) == ["redeploy", "rollback"])
        #expect(now.last?.deploymentID == "ecs-svc/42")
        #expect(now.last?.outcome == .rolledBack)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"outcome\" : \"rolled-back\""))
    }

    @Test("an outcome this version does not know reads as unknown, not as a broken file")
    func unknownOutcomeIsNil() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("ecs-deployments.json")
        try Data("""
            {"r/c/s": [{"action": "deploy", "at": "2026-11-20T01:02:03Z", "newTaskDefinition": "api:4", "previousTaskDefinition": "api:3",
              "id": "x", "deploymentID": "ecs-svc/1", "outcome": "half-done"}]}
            """.utf8).write(to: URL(fileURLWithPath: path))
        let records = try DeploymentRecordStore(path: path).records(region: "r", cluster: "c", service: "s")
        #expect(records.first?.deploymentID == "ecs-svc/1")
        #expect(records.first?.outcome == nil)
    }
}
