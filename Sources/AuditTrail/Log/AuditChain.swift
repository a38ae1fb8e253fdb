import Crypto
import Foundation

/// How records are chained: SHA-256 of each record's body, or HMAC-SHA256 with a key
/// (`RUNBOOK_AUDIT_KEY`) so that a chain recomputed after an edit does not verify.
public struct AuditChain: Sendable {
    public static let genesis = String(repeating: "0", count: 64)
    let key: Data?

    public init(key: String?) {
        self.key = key.flatMap { $0.isEmpty ? nil : Data($0.utf8) }
    }

    public var mode: String { key == nil ? "sha256" : "hmac-sha256" }

    /// The chain value of a record body (the JSON line without its `hash` member).
    public func hash(_ body: some DataProtocol) -> String {
        if let key {
            return Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: key))).hex
        }
        return Data(SHA256.hash(data: body)).hex
    }

    /// The suffix every stored line ends with: `,"hash":"<64 hex>"}`.
    static let hashPrefix = Array(#","hash":""#.utf8)

    /// Splits a stored line into its body (as it was hashed) and the hash it carries.
    static func split(line: [UInt8]) -> (body: [UInt8], hash: String)? {
        let suffixLength = hashPrefix.count + 64 + 2
        guard line.count > suffixLength, line.last == UInt8(ascii: "}") else { return nil }
        let start = line.count - suffixLength
        guard Array(line[start..<(start + hashPrefix.count)]) == hashPrefix,
              line[line.count - 2] == UInt8(ascii: "\"") else { return nil }
        let hex = line[(start + hashPrefix.count)..<(line.count - 2)]
        guard hex.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return (Array(line[..<start]) + [UInt8(ascii: "}")], String(decoding: hex, as: UTF8.self))
    }
}

extension Data {
    public var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// SHA-256 over text, as lowercase hex.
public func sha256Hex(_ data: some DataProtocol) -> String {
    Data(SHA256.hash(data: data)).hex
}
