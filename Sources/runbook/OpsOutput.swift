import Foundation

/// Printing shared by the ops commands.
enum OpsOutput {
    static func printJSON<T: Encodable>(_ value: T, pretty: Bool = true) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try enc.encode(value), as: UTF8.self))
        fflush(nil)
    }

    /// `label   value` rows, labels padded to one column.
    static func printRows(_ rows: [(label: String, value: String)]) {
        let width = rows.map(\.label.count).max() ?? 0
        for r in rows { print(r.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + r.value) }
    }

    /// A line on stderr that is neither an error nor a warning (progress, a summary).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("runbook: \(CLIRedactor.redact(message))\n".utf8))
    }

    /// A secret read from the environment variable `name`; nil if unset or empty.
    static func secret(fromVariable name: String?) -> String? {
        guard let name, let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else { return nil }
        return v
    }
}
