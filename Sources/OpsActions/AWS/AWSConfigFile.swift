import Foundation
import SystemIO

/// An AWS CLI INI file (`~/.aws/credentials` or `~/.aws/config`): sections of `key = value`.
///
/// Comments start with `#` or `;`; indented lines under a key with an empty value are a nested
/// block (e.g. `s3 =` settings) and are skipped. Section names are kept as written
/// (`default`, `profile prod`, `sso-session x`).
public struct AWSConfigFile: Sendable, Equatable {
    public var path: String
    public var sections: [String: [String: String]]

    public init(path: String, sections: [String: [String: String]] = [:]) {
        self.path = path
        self.sections = sections
    }

    /// Reads `path`; nil when nothing is there (the AWS CLI ignores a missing file).
    ///
    /// Whatever reads like a file is read: `/dev/null` as empty, a FIFO or `/dev/fd/N` from its
    /// writer. A file that is there but cannot be read is an error naming it and the reason.
    public static func load(_ path: String) throws(AWSConfigurationError) -> AWSConfigFile? {
        let bytes: [UInt8]?
        do {
            bytes = try FileReader.readIfPresent(path: path)
        } catch {
            throw AWSConfigurationError(message: error.description)
        }
        guard let bytes else { return nil }
        return parse(String(decoding: bytes, as: UTF8.self), path: path)
    }

    /// Parses INI text (lenient like botocore: lines it cannot read are ignored).
    public static func parse(_ text: String, path: String) -> AWSConfigFile {
        var file = AWSConfigFile(path: path)
        var current: String?
        var inNested = false
        for raw in text.components(separatedBy: .newlines) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            let indented = raw.first == " " || raw.first == "\t"
            if inNested && indented { continue }
            inNested = false
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                    .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                current = name
                if file.sections[name] == nil { file.sections[name] = [:] }
                continue
            }
            guard let section = current, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                inNested = true
                continue
            }
            // An inline comment needs whitespace before it, as in botocore.
            if let r = value.range(of: " #") ?? value.range(of: " ;") { value = value[..<r.lowerBound].trimmingCharacters(in: .whitespaces) }
            file.sections[section, default: [:]][key] = value
        }
        return file
    }
}
