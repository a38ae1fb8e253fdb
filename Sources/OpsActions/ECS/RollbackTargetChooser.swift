/// Puts the revisions a rollback could go to in order, with why each would be skipped (pure: what
/// ECS lists and what the deployment records say in, candidates out).
///
/// First the task definition the records say ran before the change that brought the current one
/// (not a rollback: rolling back never goes "back" to what was rolled away from), then every
/// revision of the service's own family below the current one, newest first. A candidate is
/// skipped when it is of another family, not older than the current revision, not ACTIVE, or
/// marked failed by the records; runs of revisions that are not ACTIVE are one entry.
public struct RollbackTargetChooser: Sendable {
    /// One revision (or a run of them) in the order to try.
    public struct Candidate: Sendable, Equatable {
        /// The revision to describe and use; nil for a run of revisions that are not ACTIVE.
        public var ref: TaskDefinitionRef?
        /// `family:7`, or `family:3-6` for a run.
        public var label: String
        /// Why it cannot be the target; nil when it can (if DescribeTaskDefinition confirms it ACTIVE).
        public var skip: String?
        /// Why it would be the target.
        public var reason: String
    }

    public var current: TaskDefinitionRef
    /// The ACTIVE revisions ECS lists for the family (any order).
    public var active: [TaskDefinitionRef]
    /// The service's deployment records, oldest first.
    public var records: [DeploymentRecordStore.Record]

    public init(current: TaskDefinitionRef, active: [TaskDefinitionRef], records: [DeploymentRecordStore.Record]) {
        self.current = current
        self.active = active
        self.records = records
    }

    /// Revisions the records mark failed, with why: rolled back away from, or a deployment that
    /// failed or was rolled back. The latest word wins: a revision deployed fine since is not marked.
    public static func failedRevisions(_ records: [DeploymentRecordStore.Record]) -> [TaskDefinitionRef: String] {
        var marks: [TaskDefinitionRef: String] = [:]
        for r in records {
            let new = TaskDefinitionRef(r.newTaskDefinition)
            let when = r.at.formatted(.iso8601)
            if r.action == "rollback", let previous = TaskDefinitionRef(r.previousTaskDefinition), previous.revision != nil,
               new.map({ !previous.sameRevision(as: $0) }) ?? true {
                marks[previous] = "rolled back away from on \(when)"
            }
            guard let new, new.revision != nil else { continue }
            let deployment = r.deploymentID.map { "deployment \($0)" } ?? "its deployment"
            switch r.outcome {
            case .ok?: marks[new] = nil
            case .failed?: marks[new] = "\(deployment) failed on \(when) (\(r.action))"
            case .rolledBack?: marks[new] = "\(deployment) was rolled back by ECS on \(when) (\(r.action))"
            case nil: break
            }
        }
        return marks
    }

    /// Every candidate, in the order to try.
    public func candidates() -> [Candidate] {
        guard let currentRevision = current.revision else { return [] }
        let marks = Self.failedRevisions(records)
        let activeRevisions = Set(active.filter { $0.family == current.family }.compactMap(\.revision))
        var out: [Candidate] = []

        // What ran before the change that brought the current revision, if runbook made it.
        var recorded: TaskDefinitionRef?
        if let last = records.last(where: { r in
               r.action != "rollback" && TaskDefinitionRef(r.newTaskDefinition)?.sameRevision(as: current) == true
                   && TaskDefinitionRef(r.previousTaskDefinition).map { !$0.sameRevision(as: current) } ?? false
           }),
           let previous = TaskDefinitionRef(last.previousTaskDefinition), let revision = previous.revision {
            recorded = previous
            let reason = "recorded before the last \(last.action) (\(last.at.formatted(.iso8601)))"
            var skip: String?
            if previous.family != current.family {
                skip = "another family than \(current.family) (recorded before the last \(last.action)); "
                    + "a rollback changes family only with --to and --allow-family-change"
            } else if revision > currentRevision {
                skip = "newer than \(current.shortName) (recorded before the last \(last.action))"
            } else if !activeRevisions.contains(revision) {
                skip = "not ACTIVE (deregistered)"
            } else if let mark = marks[previous] {
                skip = "marked failed by the deployment records: \(mark)"
            }
            out.append(Candidate(ref: previous, label: previous.shortName, skip: skip, reason: reason))
        }

        // Then the family's own revisions below the current one, newest first; gaps are not ACTIVE.
        let below = activeRevisions.filter { $0 < currentRevision }.sorted(by: >)
        let reason = "newest ACTIVE revision of \(current.family) below \(currentRevision) not marked failed"
        var upper = currentRevision - 1
        for revision in below + [0] {
            if upper > revision {
                let label = upper == revision + 1 ? "\(current.family):\(upper)" : "\(current.family):\(revision + 1)-\(upper)"
                out.append(Candidate(ref: nil, label: label, skip: "not ACTIVE (deregistered)", reason: reason))
            }
            upper = revision - 1
            guard revision > 0 else { break }
            let ref = TaskDefinitionRef(family: current.family, revision: revision,
                                        arn: active.first { $0.family == current.family && $0.revision == revision }?.arn)
            if let recorded, recorded.sameRevision(as: ref) { continue }
            let skip = marks[ref].map { "marked failed by the deployment records: \($0)" }
            out.append(Candidate(ref: ref, label: ref.shortName, skip: skip, reason: reason))
        }
        return out
    }
}
