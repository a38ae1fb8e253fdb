import Foundation
import SystemIO

/// Remembers, per region/cluster/service, which task definition a service ran before each change
/// runbook made, so a rollback knows its exact target.
///
/// A JSON file, by default `$XDG_STATE_HOME/runbook/ecs-deployments.json` (else
/// `~/.local/state/runbook/ecs-deployments.json`); `RUNBOOK_STATE_DIR` moves the folder. Keeps the
/// last 20 changes per service. Written whole to a temporary file and renamed, so a crash never
/// leaves half a file.
public struct DeploymentRecordStore: Sendable {
    /// One change: what ran before, what was asked for, when.
    public struct Record: Codable, Sendable, Equatable {
        /// `redeploy` or `rollback` (or another caller's word, e.g. `deploy`).
        public var action: String
        /// Task definition before the change (as ECS reported it).
        public var previousTaskDefinition: String
        public var previousDesiredCount: Int?
        /// Task definition the change asked for.
        public var newTaskDefinition: String
        public var at: Date

        public init(action: String, previousTaskDefinition: String, previousDesiredCount: Int?, newTaskDefinition: String, at: Date = Date()) {
            self.action = action
            self.previousTaskDefinition = previousTaskDefinition
            self.previousDesiredCount = previousDesiredCount
            self.newTaskDefinition = newTaskDefinition
            self.at = at
        }
    }

    public var path: String

    public init(path: String) { self.path = path }

    /// The store at the default place for this environment and home.
    public static func standard(environment: [String: String], home: String) -> DeploymentRecordStore {
        let dir: String
        if let d = environment["RUNBOOK_STATE_DIR"], !d.isEmpty {
            dir = d
        } else if let x = environment["XDG_STATE_HOME"], !x.isEmpty {
            dir = x + "/runbook"
        } else {
            dir = home + "/.local/state/runbook"
        }
        return DeploymentRecordStore(path: dir + "/ecs-deployments.json")
    }

    static func key(region: String, cluster: String, service: String) -> String { "\(region)/\(cluster)/\(service)" }

    /// Changes recorded for the service, oldest first (empty when none or the file is unreadable).
    public func records(region: String, cluster: String, service: String) -> [Record] {
        load()[Self.key(region: region, cluster: cluster, service: service)] ?? []
    }

    /// Appends `record`; a failure to write is an error (the caller decides whether to go on).
    public func append(_ record: Record, region: String, cluster: String, service: String) throws(DeploymentStateError) {
        var all = load()
        let key = Self.key(region: region, cluster: cluster, service: service)
        var list = all[key] ?? []
        list.append(record)
        if list.count > 20 { list.removeFirst(list.count - 20) }
        all[key] = list
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            enc.dateEncodingStrategy = .iso8601
            try enc.encode(all).write(to: url, options: .atomic)
        } catch {
            throw DeploymentStateError(path: path, detail: error.localizedDescription)
        }
    }

    private func load() -> [String: [Record]] {
        // runbook writes this file itself (whole, then renamed), so anything but a regular file is not it.
        guard let bytes = try? FileReader.read(path: path, accepting: .regularFilesOnly) else { return [:] }
        let dec = JSONDecoder()
        dec.dateDecodingStrategy = .iso8601
        return (try? dec.decode([String: [Record]].self, from: Data(bytes))) ?? [:]
    }
}

/// The deployment state file could not be written.
public struct DeploymentStateError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String
    public var description: String {
        "cannot record the deployment in \(path) (\(detail)); set RUNBOOK_STATE_DIR to a writable folder"
    }
}
