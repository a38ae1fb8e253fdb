import Foundation

/// `key:value` lines of an INFO reply.
public struct RedisInfo: Sendable, Equatable {
    public var fields: [String: String] = [:]

    public init(_ text: String) {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
    }

    public subscript(key: String) -> String? { fields[key] }
    public func int(_ key: String) -> Int? { fields[key].flatMap { Int($0) } }
}
