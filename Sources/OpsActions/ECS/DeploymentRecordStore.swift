import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// Remembers, per region/cluster/service, which task definition a service ran before each change
/// runbook made, the deployment ECS started for it and how that ended, so a rollback knows its exact
/// target and which revisions to stay away from.
///
/// A JSON file, by default `$XDG_STATE_HOME/runbook/ecs-deployments.json` (else
/// `~/.local/state/runbook/ecs-deployments.json`); `RUNBOOK_STATE_DIR` moves the folder. Keeps the
/// last 20 changes per service. Every read-modify-write holds an exclusive `flock` on a lock file
/// beside it (two runs on one machine never lose each other's record), and the file is written
/// whole to a temporary file and renamed, so a crash never leaves half a file. A file that is there
/// but cannot be read as records is an error naming it: read as empty it would change the rollback
/// target, and the next write would destroy it.
public struct DeploymentRecordStore: Sendable {
    /// One change: what ran before, what was asked for, when, which deployment ECS started and how it ended.
    ///
    /// The last three fields were added later: files written before them still decode (they are nil),
    /// and an outcome this version does not know reads as nil rather than making the file unreadable.
    public struct Record: Codable, Sendable, Equatable {
        /// `redeploy` or `rollback` (or another caller's word, e.g. `deploy`).
        public var action: String
        /// Task definition before the change (as ECS reported it).
        public var previousTaskDefinition: String
        public var previousDesiredCount: Int?
        /// Task definition the change asked for.
        public var newTaskDefinition: String
        public var at: Date
        /// Names this record so the deployment id and the outcome can be added once known.
        public var id: String?
        /// The deployment ECS started for the change (the new PRIMARY in UpdateService's reply).
        public var deploymentID: String?
        /// How the deployment ended; nil while unknown (not waited for, timed out, or an older record).
        public var outcome: Outcome?

        public init(action: String, previousTaskDefinition: String, previousDesiredCount: Int?, newTaskDefinition: String,
                    at: Date = Date(), id: String? = UUID().uuidString, deploymentID: String? = nil, outcome: Outcome? = nil) {
            self.action = action
            self.previousTaskDefinition = previousTaskDefinition
            self.previousDesiredCount = previousDesiredCount
            self.newTaskDefinition = newTaskDefinition
            self.at = at
            self.id = id
            self.deploymentID = deploymentID
            self.outcome = outcome
        }

        enum CodingKeys: String, CodingKey {
            case action, previousTaskDefinition, previousDesiredCount, newTaskDefinition, at, id, deploymentID, outcome
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            action = try c.decode(String.self, forKey: .action)
            previousTaskDefinition = try c.decode(String.self, forKey: .previousTaskDefinition)
            previousDesiredCount = try c.decodeIfPresent(Int.self, forKey: .previousDesiredCount)
            newTaskDefinition = try c.decode(String.self, forKey: .newTaskDefinition)
            at = try c.decode(Date.self, forKey: .at)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            deploymentID = try c.decodeIfPresent(String.self, forKey: .deploymentID)
            outcome = try c.decodeIfPresent(String.self, forKey: .outcome).flatMap(Outcome.init(rawValue:))
        }
    }

    /// How a recorded deployment ended.
    public enum Outcome: String, Codable, Sendable, Equatable {
        /// PRIMARY, rollout COMPLETED, every task running.
        case ok
        /// FAILED, gone, replaced, or settled on another task definition.
        case failed
        /// The deployment circuit breaker rolled it back.
        case rolledBack = "rolled-back"
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

    /// Changes recorded for the service, oldest first (empty when there is no file yet).
    public func records(region: String, cluster: String, service: String) throws(DeploymentStateError) -> [Record] {
        try load()[Self.key(region: region, cluster: cluster, service: service)] ?? []
    }

    /// Appends `record`; a failure to read or write is an error (the caller decides whether to go on).
    public func append(_ record: Record, region: String, cluster: String, service: String) throws(DeploymentStateError) {
        try modify(region: region, cluster: cluster, service: service) { list in
            list.append(record)
            if list.count > 20 { list.removeFirst(list.count - 20) }
        }
    }

    /// Changes the record named `id` (to add its deployment id or outcome); a record no longer kept is left alone.
    public func amend(id: String, region: String, cluster: String, service: String,
                      _ change: (inout Record) -> Void) throws(DeploymentStateError) {
        try modify(region: region, cluster: cluster, service: service) { list in
            if let i = list.lastIndex(where: { $0.id == id }) { change(&list[i]) }
        }
    }

    /// One read-modify-write of the service's records under the file lock, written whole and renamed.
    private func modify(region: String, cluster: String, service: String,
                        _ change: (inout [Record]) -> Void) throws(DeploymentStateError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw DeploymentStateError(path: path, detail: error.localizedDescription)
        }
        let lock = try FileLock(path: path + ".lock")
        defer { lock.unlock() }
        var all = try load()
        let key = Self.key(region: region, cluster: cluster, service: service)
        var list = all[key] ?? []
        change(&list)
        all[key] = list
        do {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            enc.dateEncodingStrategy = .iso8601
            try enc.encode(all).write(to: url, options: .atomic)
        } catch {
            throw DeploymentStateError(path: path, detail: error.localizedDescription)
        }
    }

    private func load() throws(DeploymentStateError) -> [String: [Record]] {
        // runbook writes this file itself (whole, then renamed), so anything but a regular file is not it.
        let bytes: [UInt8]
        do {
            guard let read = try FileReader.readIfPresent(path: path, accepting: .regularFilesOnly) else { return [:] }
            bytes = read
        } catch {
            throw DeploymentStateError(path: path, detail: "\(error)", reading: true)
        }
        if bytes.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) { return [:] }
        let dec = JSONDecoder()
        dec.dateDecodingStrategy = .iso8601
        do {
            return try dec.decode([String: [Record]].self, from: Data(bytes))
        } catch {
            throw DeploymentStateError(path: path, detail: "it is not a deployment record file (\(bytes.count) bytes that do not decode)", reading: true)
        }
    }
}

/// An exclusive `flock` on a lock file, released by `unlock()`.
struct FileLock {
    let fd: Int32

    init(path: String) throws(DeploymentStateError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DeploymentStateError(path: path, detail: String(cString: strerror(errno))) }
        do {
            try SystemCall.retryingInterrupts("flock") { flock(fd, LOCK_EX) }
        } catch {
            close(fd)
            throw DeploymentStateError(path: path, detail: "cannot lock it: \(error)")
        }
        self.fd = fd
    }

    func unlock() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// The deployment state file could not be read or written.
public struct DeploymentStateError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String
    /// Whether reading (not writing) failed.
    public var reading = false

    public init(path: String, detail: String, reading: Bool = false) {
        self.path = path
        self.detail = detail
        self.reading = reading
    }

    public var description: String {
        if reading {
            return "cannot read the deployment records \(path): \(detail); nothing was changed. Move the file aside (the rollback target then falls back to the revision order) or restore it"
        }
        return "cannot record the deployment in \(path) (\(detail)); set RUNBOOK_STATE_DIR to a writable folder"
    }
}
