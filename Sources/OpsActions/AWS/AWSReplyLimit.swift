import Foundation

/// The most bytes an AWS reply (a JSON or XML answer) may have: 64 MiB unless
/// `RUNBOOK_MAX_REPLY_BYTES` says otherwise. S3 object bodies are not answers: they stream to disk,
/// bounded by their own `Content-Length`.
public enum AWSReplyLimit {
    /// The environment variable that sets the limit.
    public static let variable = "RUNBOOK_MAX_REPLY_BYTES"
    public static let defaultBytes: UInt64 = HTTPRequest.defaultMaxReplyBytes
    /// Values accepted: from 1 KiB, to 1 GiB (a reply parser must never be handed more).
    public static let accepted: ClosedRange<UInt64> = (1 << 10)...(1 << 30)

    /// Reads `67108864`, `64MiB`, `64M`, `512KiB` or `1GiB` (binary units, case-insensitive).
    public static func parse(_ text: String, source: String = variable) throws(AWSConfigurationError) -> UInt64 {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, shift: UInt64)] = [("kib", 10), ("mib", 20), ("gib", 30), ("k", 10), ("m", 20), ("g", 30), ("b", 0)]
        var digits = Substring(t), shift: UInt64 = 0
        if let unit = units.first(where: { t.hasSuffix($0.suffix) }) {
            digits = t.dropLast(unit.suffix.count)
            shift = unit.shift
        }
        let number = digits.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(number),
              n <= accepted.upperBound >> shift, accepted.contains(n << shift) else {
            throw AWSConfigurationError(message: "\(source) is '\(text)', not a size from 1KiB to 1GiB (bytes, or with KiB, MiB or GiB); the default is 64MiB")
        }
        return n << shift
    }
}
