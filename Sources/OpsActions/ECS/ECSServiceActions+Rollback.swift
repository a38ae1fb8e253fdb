import Foundation

extension ECSServiceActions {
    /// What a rollback may do beyond the safe default.
    public struct RollbackOptions: Sendable {
        /// The target: a revision number of the service's family, `family:revision` or an ARN.
        public var to: String?
        /// Go on while a deployment is in progress.
        public var ignoreDeploymentInProgress: Bool
        /// Go on when the target runs the same container images as the current revision.
        public var allowSameImages: Bool
        /// Let `to` name another task family.
        public var allowFamilyChange: Bool

        public init(to: String? = nil, ignoreDeploymentInProgress: Bool = false, allowSameImages: Bool = false,
                    allowFamilyChange: Bool = false) {
            self.to = to
            self.ignoreDeploymentInProgress = ignoreDeploymentInProgress
            self.allowSameImages = allowSameImages
            self.allowFamilyChange = allowFamilyChange
        }
    }

    /// A revision a rollback looked at, and what it made of it.
    public struct ConsideredRevision: Codable, Sendable, Equatable {
        /// `family:7`, or `family:3-6` for a run of revisions with the same verdict.
        public var revisions: String
        /// `chosen: ...` or `skipped: ...`.
        public var verdict: String

        public init(_ revisions: String, _ verdict: String) {
            self.revisions = revisions
            self.verdict = verdict
        }

        /// Indented lines, at most `limit` of them (then how many more).
        static func lines(_ list: [ConsideredRevision], limit: Int = 12) -> [String] {
            let width = min(40, list.prefix(limit).map(\.revisions.count).max() ?? 0)
            var out = list.prefix(limit).map { "    " + $0.revisions.padding(toLength: max(width, $0.revisions.count), withPad: " ", startingAt: 0)
                + "  " + $0.verdict }
            if list.count > limit { out.append("    ... and \(list.count - limit) more") }
            return out
        }
    }

    /// One container's image before and after (nil: the container is not in that revision).
    public struct ImageChange: Codable, Sendable, Equatable {
        public var container: String
        public var from: String?
        public var to: String?

        public init(container: String, from: String?, to: String?) {
            self.container = container
            self.from = from
            self.to = to
        }

        /// The containers of both revisions, by name, in the target's order.
        static func between(_ current: ECSTaskDefinition, _ target: ECSTaskDefinition) -> [ImageChange] {
            let now = current.containerDefinitions ?? [], then = target.containerDefinitions ?? []
            var out = then.map { c in ImageChange(container: c.name ?? "?", from: now.first { $0.name == c.name }?.image, to: c.image) }
            for c in now where !then.contains(where: { $0.name == c.name }) {
                out.append(ImageChange(container: c.name ?? "?", from: c.image, to: nil))
            }
            return out
        }

        /// Every container runs the very same image reference before and after: the rollback changes no code.
        static func same(_ changes: [ImageChange]) -> Bool {
            !changes.isEmpty && changes.allSatisfy { $0.from != nil && $0.from == $0.to }
        }

        static func pinned(_ image: String?) -> Bool { image?.contains("@sha256:") == true }

        var line: String {
            let pin = Self.pinned(from) && Self.pinned(to) ? " (pinned by digest)" : ""
            return "image \(container): \(from ?? "(none)") -> \(to ?? "(none)")\(pin)"
        }
    }

    /// Where a rollback goes and why.
    public struct RollbackPlan: Codable, Sendable {
        /// Task definition now (as ECS reports it).
        public var current: String
        /// Full ARN of the target, confirmed ACTIVE.
        public var target: String
        /// How it was chosen: `--to`, `recorded before the last redeploy`, `newest ACTIVE revision ... not marked failed`.
        public var reason: String
        /// The service's desired count when planned (recorded with the change).
        public var desiredCount: Int?
        /// The revisions looked at, newest first, and what was made of each.
        public var considered: [ConsideredRevision] = []
        /// Each container's image now and after.
        public var images: [ImageChange] = []
        /// What the operator should know: a family change, a target marked failed, no code change.
        public var notes: [String] = []

        /// The plan for a terminal: the change, the revisions considered, the images, the notes.
        public func lines(service: String) -> [String] {
            let from = TaskDefinitionRef(current)?.shortName ?? current
            let into = TaskDefinitionRef(target)?.shortName ?? target
            var out = ["rollback \(service): \(from) -> \(into) (\(reason))"]
            if considered.count > 1 { out += ["  considered (newest first):"] + ConsideredRevision.lines(considered) }
            out += images.map { "  " + $0.line }
            out += notes.map { "  note: " + $0 }
            return out
        }
    }

    /// Chooses the rollback target without changing anything (see `planRollback(_:)`); `force` only
    /// lets it go on while a deployment is in progress.
    public func planRollback(to: String? = nil, force: Bool = false) throws(ECSActionError) -> RollbackPlan {
        try planRollback(RollbackOptions(to: to, ignoreDeploymentInProgress: force))
    }

    /// Chooses the rollback target without changing anything.
    ///
    /// `to` (a revision number, `family:rev` or an ARN) wins; it may name another family only with
    /// `allowFamilyChange`. Else the candidates of `RollbackTargetChooser`: what the records say ran
    /// before the change that brought the current revision, then the newest ACTIVE revision of the
    /// service's own family below the current one, skipping revisions the records mark failed. The
    /// target is confirmed ACTIVE with DescribeTaskDefinition; never a blind `revision - 1`. A target
    /// that runs the very same images as the current revision (a tag such as `:latest`) would not
    /// change code: refused unless `allowSameImages`. Every refusal lists the revisions considered.
    public func planRollback(_ options: RollbackOptions) throws(ECSActionError) -> RollbackPlan {
        let s = try describe()
        try refuseIfInProgress(s, force: options.ignoreDeploymentInProgress)
        guard let currentText = s.taskDefinition, let named = TaskDefinitionRef(currentText) else {
            throw .noRollbackTarget(service: service, reason: "ECS reports no task definition for it")
        }
        let currentTD = try describeTaskDefinition(named.bestName)
        let current = currentTD.taskDefinitionArn.flatMap(TaskDefinitionRef.init) ?? named
        guard let currentRevision = current.revision else {
            throw .noRollbackTarget(service: service, reason: "cannot tell the revision of \(currentText)")
        }
        let history: [DeploymentRecordStore.Record]
        do {
            history = try records.records(region: region, cluster: cluster, service: service)
        } catch {
            throw .state(error)
        }

        var considered: [ConsideredRevision] = []
        var notes: [String] = []
        let target: ECSTaskDefinition
        let reason: String
        if let to = options.to {
            (target, reason) = try explicitTarget(to, current: current, history: history, options: options, notes: &notes,
                                                  considered: &considered)
        } else {
            let arns: [String]
            do {
                arns = try ecs.listTaskDefinitions(family: current.family, status: "ACTIVE")
            } catch {
                throw .aws(error)
            }
            let chooser = RollbackTargetChooser(current: current, active: arns.compactMap(TaskDefinitionRef.init), records: history)
            var found: (ECSTaskDefinition, String)?
            for c in chooser.candidates() {
                if let skip = c.skip {
                    considered.append(.init(c.label, "skipped: " + skip))
                    continue
                }
                guard let ref = c.ref else { continue }
                let td = try describeTaskDefinition(ref.bestName)
                guard td.status == "ACTIVE", td.taskDefinitionArn != nil else {
                    considered.append(.init(c.label, "skipped: \(td.status ?? "not ACTIVE") when described"))
                    continue
                }
                considered.append(.init(c.label, "chosen: \(c.reason)"))
                found = (td, c.reason)
                break
            }
            guard let found else {
                throw .rollbackRefused(service: service,
                                       why: "no ACTIVE revision of \(current.family) below \(currentRevision) is left to roll back to",
                                       considered: [.init(current.shortName, "current")] + considered,
                                       next: "Name one with --to REVISION|ARN")
            }
            (target, reason) = found
        }
        guard let targetARN = target.taskDefinitionArn else {
            throw .noRollbackTarget(service: service, reason: "ECS describes the target without an ARN")
        }
        let targetName = TaskDefinitionRef(targetARN)?.shortName ?? targetARN

        let images = ImageChange.between(currentTD, target)
        if ImageChange.same(images) {
            let list = images.map { "\($0.container): \($0.to ?? "")" }.joined(separator: ", ")
            let tagged = images.contains { !ImageChange.pinned($0.to) }
            let why = "\(targetName) runs the same images as \(current.shortName) (\(list)), so the rollback will not change code"
                + (tagged ? ": a tag is looked up again when tasks start, it does not bring the old build back" : "")
            guard options.allowSameImages else {
                throw .rollbackRefused(service: service, why: why,
                                       considered: [.init(current.shortName, "current")] + considered,
                                       next: "Pass --force to roll back anyway (to undo a configuration change), "
                                           + "or --to a revision whose images are pinned by digest")
            }
            notes.append(why + "; going ahead because of --force")
        }
        return RollbackPlan(current: currentText, target: targetARN, reason: reason, desiredCount: s.desiredCount,
                            considered: considered, images: images, notes: notes)
    }

    /// The target `--to` names, checked: another revision, of the same family unless allowed, ACTIVE.
    private func explicitTarget(_ to: String, current: TaskDefinitionRef, history: [DeploymentRecordStore.Record],
                                options: RollbackOptions, notes: inout [String],
                                considered: inout [ConsideredRevision]) throws(ECSActionError) -> (ECSTaskDefinition, String) {
        let wanted: TaskDefinitionRef
        if let rev = Int(to), rev > 0 {
            wanted = TaskDefinitionRef(family: current.family, revision: rev)
        } else if let ref = TaskDefinitionRef(to), ref.revision != nil {
            wanted = ref
        } else {
            throw .badRollbackTarget("--to \(to) is not a revision number, FAMILY:REVISION or a task definition ARN")
        }
        if wanted.sameRevision(as: current) {
            throw .rollbackRefused(service: service, why: "\(service) already runs \(current.shortName)",
                                   considered: [.init(wanted.shortName, "skipped: the current revision")], next: "Name another with --to")
        }
        if wanted.family != current.family {
            guard options.allowFamilyChange else {
                throw .rollbackRefused(service: service,
                                       why: "--to \(to) is of family \(wanted.family), but \(service) runs \(current.family)",
                                       considered: [.init(wanted.shortName, "skipped: another family than \(current.family)")],
                                       next: "Pass --allow-family-change if \(service) should run \(wanted.family) from now on")
            }
            notes.append("changes the task family from \(current.family) to \(wanted.family) (--allow-family-change)")
        }
        let td = try describeTaskDefinition(wanted.bestName)
        guard td.status == "ACTIVE", td.taskDefinitionArn != nil else {
            throw .rollbackRefused(service: service,
                                   why: "\(wanted.shortName) is \(td.status ?? "not ACTIVE") (deregistered); ECS would not start it",
                                   considered: [.init(wanted.shortName, "skipped: \(td.status ?? "not ACTIVE")")],
                                   next: "Name an ACTIVE revision with --to, or leave --to out to let runbook choose")
        }
        if let mark = RollbackTargetChooser.failedRevisions(history)[wanted] {
            notes.append("\(wanted.shortName) is marked failed by the deployment records (\(mark)); going ahead because --to names it")
        }
        considered.append(.init(wanted.shortName, "chosen: --to \(to)"))
        return (td, "--to \(to)")
    }

    /// What a rollback did.
    public struct RollbackResult: Codable, Sendable {
        public var plan: RollbackPlan
        public var waited: Bool
        /// The task definition ECS reports afterwards.
        public var now: String
        /// The deployment ECS started (nil when its reply named none).
        public var deploymentID: String?
        /// How it ended when waited for.
        public var outcome: DeploymentRecordStore.Outcome?
    }

    /// Carries out `plan`: records the current task definition, UpdateService with the target's full
    /// ARN, waits on the deployment that started (unless `wait` is false), and verifies.
    public func rollback(_ plan: RollbackPlan, wait: Bool, progress: (String) -> Void = { _ in }) throws(ECSActionError) -> RollbackResult {
        let recordID = try record(action: "rollback", previous: plan.current, desired: plan.desiredCount, new: plan.target)
        let updated: ECSServiceDescription?
        do {
            updated = try ecs.updateService(cluster: cluster, service: service, taskDefinition: plan.target)
        } catch {
            throw .aws(error)
        }
        let deployment = started(by: updated, recordID: recordID, progress: progress)
        let target = TaskDefinitionRef(plan.target)
        progress("\(service): rolling back \(TaskDefinitionRef(plan.current)?.shortName ?? plan.current) -> \(target?.shortName ?? plan.target)")
        let after: ECSServiceDescription
        if wait {
            after = try follow(deployment, on: target, recordID: recordID, progress: progress)
        } else {
            after = try describe()
        }
        let now = after.taskDefinition ?? "?"
        guard let target, TaskDefinitionRef(now)?.sameRevision(as: target) == true else {
            throw .verificationFailed(service: service, expected: plan.target, actual: now)
        }
        return RollbackResult(plan: plan, waited: wait, now: now, deploymentID: deployment, outcome: wait ? .ok : nil)
    }
}
