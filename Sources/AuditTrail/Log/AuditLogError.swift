/// Why the audit log could not be read or a run in it not found: one problem per line, each
/// saying what and where. Exit status 2, like every other request that cannot be carried out.
public struct AuditLogError: Error, Sendable, Equatable, CustomStringConvertible {
    public var lines: [String]

    public init(_ lines: [String]) {
        self.lines = lines
    }

    public init(_ line: String) {
        self.init([line])
    }

    public var exitCode: Int32 { 2 }

    public var description: String { lines.joined(separator: "\n") }
}
