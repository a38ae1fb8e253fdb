/// One line of the audit log: an event of a run, with everything needed to say later who ran
/// what, where, against which doc, and what it changed.
///
/// Keys are written sorted, in snake_case; absent values are left out. `prev` and `hash` are
/// filled in by `AuditLog` when the record is appended.
public struct AuditRecord: Codable, Sendable, Equatable {
    public enum Event: String, Codable, Sendable {
        case runStart = "run-start"
        case stepStart = "step-start"
        case stepEnd = "step-end"
        case runEnd = "run-end"
        case refused
    }

    public struct Operator: Codable, Sendable, Equatable {
        public var user: String
        public var host: String
        public var awsARN: String?

        public init(user: String, host: String, awsARN: String? = nil) {
            self.user = user
            self.host = host
            self.awsARN = awsARN
        }

        enum CodingKeys: String, CodingKey {
            case user, host
            case awsARN = "aws_arn"
        }
    }

    /// One command of a step as the audit log shows it.
    public struct Action: Codable, Sendable, Equatable {
        /// `native` or `shell`.
        public var type: String
        /// The native action's name (`ecs.update-service.force-new-deployment`) or `bash`.
        public var name: String
        public var args: [String: String]?
        /// The shell text with parameter values written in (redacted).
        public var text: String?
        public var changesState: Bool

        public init(type: String, name: String, args: [String: String]?, text: String?, changesState: Bool) {
            self.type = type
            self.name = name
            self.args = args
            self.text = text
            self.changesState = changesState
        }

        enum CodingKeys: String, CodingKey {
            case type, name, args, text
            case changesState = "changes_state"
        }
    }

    public var version: Int = 1
    public var time: String
    public var event: Event
    public var run: String
    public var `operator`: Operator?
    public var env: String?
    public var doc: String?
    public var docCommit: String?
    public var docSHA256: String?
    public var section: String?
    public var step: String?
    public var kind: String?
    public var actions: [Action]?
    public var before: [String: String]?
    public var after: [String: String]?
    /// `ok`, `failed`, `timeout`, `interrupted`, `skipped` (step-end); the run's outcome (run-end).
    public var status: String?
    public var exitStatus: Int?
    public var durationMS: Int?
    public var outputSHA256: String?
    public var outputBytes: Int?
    public var outputExcerpt: String?
    /// Why: a refusal, a skip, an error message.
    public var reason: String?
    /// Run-end: how many steps ended each way.
    public var counts: [String: Int]?
    /// Run-end: the chain value of the record before it, covering every earlier record.
    public var chainHead: String?
    /// Set by the writer when it cut a torn line (an interrupted write) from the end of the log
    /// before appending: its length and SHA-256, so the cut is on the record.
    public var tornTail: String?
    /// `sha256` or `hmac-sha256`.
    public var mode: String = "sha256"
    public var prev: String = ""

    public init(time: String, event: Event, run: String) {
        self.time = time
        self.event = event
        self.run = run
    }

    enum CodingKeys: String, CodingKey {
        case version = "v"
        case time, event, run, `operator`, env, doc, section, step, kind, actions, before, after, status, reason, counts, mode, prev
        case docCommit = "doc_commit"
        case docSHA256 = "doc_sha256"
        case exitStatus = "exit"
        case durationMS = "duration_ms"
        case outputSHA256 = "output_sha256"
        case outputBytes = "output_bytes"
        case outputExcerpt = "output_excerpt"
        case chainHead = "chain_head"
        case tornTail = "torn_tail"
    }
}
