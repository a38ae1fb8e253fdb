/// A task definition named by ARN (`arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REV`),
/// `FAMILY:REV` or `FAMILY`; AWS returns ARNs, moto returns what it was given, so compare these,
/// never the strings.
public struct TaskDefinitionRef: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var family: String
    /// Nil for a bare family (its latest ACTIVE revision).
    public var revision: Int?
    /// The full ARN when known.
    public var arn: String?

    public init(family: String, revision: Int?, arn: String? = nil) {
        self.family = family
        self.revision = revision
        self.arn = arn
    }

    /// Parses any of the three forms; nil for an empty or malformed string.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        var name = trimmed
        if trimmed.hasPrefix("arn:") {
            guard let slash = trimmed.range(of: ":task-definition/") else { return nil }
            name = String(trimmed[slash.upperBound...])
            arn = trimmed
        }
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, parts.count <= 2 else { return nil }
        family = String(first)
        if parts.count == 2 {
            guard let rev = Int(parts[1]), rev > 0 else { return nil }
            revision = rev
        } else {
            if arn != nil { return nil }  // an ARN always has a revision
            revision = nil
        }
    }

    /// `family:revision` (or the family).
    public var shortName: String { revision.map { "\(family):\($0)" } ?? family }

    /// The ARN when known, else `family:revision`: what to pass to UpdateService.
    public var bestName: String { arn ?? shortName }

    /// Same family and revision, however each was written.
    public func sameRevision(as other: TaskDefinitionRef) -> Bool {
        family == other.family && revision != nil && revision == other.revision
    }

    public var description: String { shortName }

    public static func == (a: TaskDefinitionRef, b: TaskDefinitionRef) -> Bool {
        a.family == b.family && a.revision == b.revision
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(family)
        hasher.combine(revision)
    }
}
