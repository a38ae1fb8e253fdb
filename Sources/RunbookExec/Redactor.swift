import Foundation
import RunbookCore

/// Removes secrets from any text before it is printed, recorded in the audit log or sent out.
///
/// Two layers: known secret values (secret parameters, secret environment variables, the
/// variables runbook.toml names with `*_env` keys, its `secret` list) are replaced wherever they
/// appear; and shapes that are secret whatever their value (AWS access key ids, secret keys and
/// session tokens in their usual spellings, passwords in URLs, Slack webhook URLs,
/// `password=...`) are masked.
///
/// Both layers scan the text's bytes once, left to right, so the time is linear in the text's
/// length (a 1 MB line takes milliseconds): a step's timeout holds whatever it prints.
public struct Redactor: Sendable {
    public static let mask = "[redacted]"
    /// Values shorter than this are not masked: masking `1` or `yes` everywhere would hide real
    /// output and protect nothing. The README says so.
    public static let minimumSecretLength = 4

    /// Known values as bytes, grouped by first byte, longest first within a group so a secret
    /// that contains another is masked whole.
    private var byFirstByte: [UInt8: [[UInt8]]] = [:]
    /// Known values, longest first.
    public private(set) var secrets: [String] = []

    public init(secrets: [String] = []) {
        add(secrets)
    }

    /// Adds values to mask. A multi-line value (a PEM key) is masked as a whole and each of its
    /// lines on its own, since output reaches the redactor line by line.
    public mutating func add(_ values: [String]) {
        for value in values {
            var pieces = [value]
            if value.contains(where: \.isNewline) {
                pieces += value.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            }
            for piece in pieces where piece.utf8.count >= Self.minimumSecretLength && !secrets.contains(piece) {
                secrets.append(piece)
                let bytes = Array(piece.utf8)
                byFirstByte[bytes[0], default: []].append(bytes)
            }
        }
        secrets.sort { $0.utf8.count > $1.utf8.count }
        for key in byFirstByte.keys { byFirstByte[key]?.sort { $0.count > $1.count } }
    }

    /// Secret values of the process environment: AWS credentials, variables whose names contain
    /// SECRET, TOKEN, PASSWORD or PASSWD (`AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, ...),
    /// `RUNBOOK_AUDIT_KEY`, and the variables the environment's `*_env` keys name
    /// (`redis_password_env`, `database_url_env`, `slack_webhook_env`).
    public static func forEnvironment(_ processEnvironment: [String: String], config: EnvironmentConfig?) -> Redactor {
        var values: [String] = []
        for (name, value) in processEnvironment where ParameterName.isSecret(name) || alwaysSecretVariables.contains(name) {
            values.append(value)
        }
        if let config {
            for name in [config.redisPasswordEnv, config.databaseURLEnv, config.slackWebhookEnv].compactMap({ $0 }) {
                if let v = processEnvironment[name] { values.append(v) }
            }
        }
        return Redactor(secrets: values)
    }

    /// Secret whatever their names say.
    static let alwaysSecretVariables: Set<String> = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "RUNBOOK_AUDIT_KEY"]

    public func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        if !byFirstByte.isEmpty { bytes = maskKnownValues(bytes) }
        var shapes = ShapeMasker(bytes)
        bytes = shapes.run()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every known value replaced by the mask, in one pass (longest match first at each position).
    private func maskKnownValues(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        let mask = Array(Self.mask.utf8)
        text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var i = 0
            let n = buffer.count
            outer: while i < n {
                if let candidates = byFirstByte[buffer[i]] {
                    for secret in candidates where secret.count <= n - i {
                        let same = secret.withUnsafeBufferPointer { s in s.baseAddress.map { memcmp(base + i, $0, s.count) == 0 } ?? false }
                        if same {
                            out += mask
                            i += secret.count
                            continue outer
                        }
                    }
                }
                out.append(buffer[i])
                i += 1
            }
        }
        return out
    }
}

/// The secret shapes, masked in one left-to-right pass over the bytes.
private struct ShapeMasker {
    let text: [UInt8]
    var out: [UInt8] = []
    var i = 0

    init(_ text: [UInt8]) {
        self.text = text
        out.reserveCapacity(text.count)
    }

    static let mask = Array(Redactor.mask.utf8)
    static let keyIDPrefixes: [[UInt8]] = ["AKIA", "ASIA", "AIDA", "AROA", "ANPA", "AGPA"].map { Array($0.utf8) }
    /// `name = value` / `name: value` spellings whose value is a credential.
    static let credentialNames: [[UInt8]] = ["aws_secret_access_key", "aws_session_token", "x-amz-security-token"].map { Array($0.utf8) }
    /// JSON members whose string value is a credential.
    static let credentialMembers: [[UInt8]] = ["\"SecretAccessKey\"", "\"SessionToken\"", "\"secretAccessKey\"", "\"sessionToken\""].map { Array($0.utf8) }
    /// `word=value` spellings (a word on its own, any case).
    static let assignmentWords: [[UInt8]] = ["password=", "passwd=", "pgpassword=", "secret=", "token="].map { Array($0.utf8) }
    static let slackHook = Array("https://hooks.slack.com/services/".utf8)

    static func isUpperOrDigit(_ b: UInt8) -> Bool { (65...90).contains(b) || (48...57).contains(b) }
    static func isAlnum(_ b: UInt8) -> Bool { isUpperOrDigit(b) || (97...122).contains(b) }
    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 }
    static func lower(_ b: UInt8) -> UInt8 { (65...90).contains(b) ? b + 32 : b }

    func hasPrefix(_ p: [UInt8], at j: Int, caseInsensitive: Bool = false) -> Bool {
        guard j + p.count <= text.count else { return false }
        for k in 0..<p.count {
            let b = text[j + k]
            if (caseInsensitive ? Self.lower(b) : b) != p[k] { return false }
        }
        return true
    }

    /// The end of a run of bytes from `j` that are not in `stop` (and not whitespace).
    func runEnd(from j: Int, stop: Set<UInt8>) -> Int {
        var k = j
        while k < text.count, !Self.isSpace(text[k]), !stop.contains(text[k]) { k += 1 }
        return k
    }

    mutating func copy(upTo end: Int) {
        if end > i { out += text[i..<end] }
        i = max(i, end)
    }

    mutating func run() -> [UInt8] {
        while i < text.count {
            if maskKeyID() || maskCredentialAssignment() || maskCredentialMember() || maskSlackHook()
                || maskURLPassword() || maskAssignmentWord() { continue }
            out.append(text[i])
            i += 1
        }
        return out
    }

    /// `AKIA` + 16 upper-case letters or digits.
    mutating func maskKeyID() -> Bool {
        guard text[i] == UInt8(ascii: "A"), i + 20 <= text.count,
              Self.keyIDPrefixes.contains(where: { hasPrefix($0, at: i) }),
              text[(i + 4)..<(i + 20)].allSatisfy(Self.isUpperOrDigit) else { return false }
        out += Self.mask
        i += 20
        return true
    }

    /// `aws_secret_access_key = VALUE`, `"aws_session_token": "VALUE"`, `X-Amz-Security-Token: VALUE`.
    mutating func maskCredentialAssignment() -> Bool {
        let first = Self.lower(text[i])
        guard first == UInt8(ascii: "a") || first == UInt8(ascii: "x"),
              let name = Self.credentialNames.first(where: { hasPrefix($0, at: i, caseInsensitive: true) }) else { return false }
        var j = i + name.count
        if j < text.count, text[j] == UInt8(ascii: "\"") || text[j] == UInt8(ascii: "'") { j += 1 }
        while j < text.count, Self.isSpace(text[j]), text[j] != 10 { j += 1 }
        guard j < text.count, text[j] == UInt8(ascii: "=") || text[j] == UInt8(ascii: ":") else { return false }
        j += 1
        while j < text.count, Self.isSpace(text[j]), text[j] != 10 { j += 1 }
        if j < text.count, text[j] == UInt8(ascii: "\"") || text[j] == UInt8(ascii: "'") { j += 1 }
        let end = runEnd(from: j, stop: [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "&")])
        guard end > j else { return false }
        copy(upTo: j)
        out += Self.mask
        i = end
        return true
    }

    /// `"SecretAccessKey": "VALUE"` (any JSON string value).
    mutating func maskCredentialMember() -> Bool {
        guard text[i] == UInt8(ascii: "\""), let name = Self.credentialMembers.first(where: { hasPrefix($0, at: i) }) else { return false }
        var j = i + name.count
        while j < text.count, Self.isSpace(text[j]) { j += 1 }
        guard j < text.count, text[j] == UInt8(ascii: ":") else { return false }
        j += 1
        while j < text.count, Self.isSpace(text[j]) { j += 1 }
        guard j < text.count, text[j] == UInt8(ascii: "\"") else { return false }
        j += 1
        var end = j
        while end < text.count, text[end] != UInt8(ascii: "\"") {
            end += text[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        end = min(end, text.count)
        copy(upTo: j)
        out += Self.mask
        i = end
        return true
    }

    /// `https://hooks.slack.com/services/T../B../XXXX`.
    mutating func maskSlackHook() -> Bool {
        guard text[i] == UInt8(ascii: "h"), hasPrefix(Self.slackHook, at: i) else { return false }
        var end = i + Self.slackHook.count
        while end < text.count, Self.isAlnum(text[end]) || text[end] == UInt8(ascii: "/") || text[end] == UInt8(ascii: "_")
            || text[end] == UInt8(ascii: "-") { end += 1 }
        guard end > i + Self.slackHook.count else { return false }
        out += Self.slackHook + Self.mask
        i = end
        return true
    }

    /// `scheme://user:PASSWORD@host`: the password. Looked for at each `://`, with the scheme
    /// already copied (it is letters, digits and `+.-`, which no other shape starts with).
    mutating func maskURLPassword() -> Bool {
        guard text[i] == UInt8(ascii: ":"), hasPrefix(Array("://".utf8), at: i), i > 0,
              Self.isAlnum(text[i - 1]) || text[i - 1] == UInt8(ascii: "+") || text[i - 1] == UInt8(ascii: ".") || text[i - 1] == UInt8(ascii: "-")
        else { return false }
        let start = i + 3
        // user: up to ':' (then the password up to '@'); stop at '/', whitespace, quotes or '@'.
        let userEnd = runEnd(from: start, stop: [UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "'"), UInt8(ascii: "\"")])
        guard userEnd < text.count, text[userEnd] == UInt8(ascii: ":") else { return false }
        let passwordStart = userEnd + 1
        let passwordEnd = runEnd(from: passwordStart, stop: [UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "'"), UInt8(ascii: "\"")])
        guard passwordEnd > passwordStart, passwordEnd < text.count, text[passwordEnd] == UInt8(ascii: "@") else { return false }
        copy(upTo: passwordStart)
        out += Self.mask
        i = passwordEnd
        return true
    }

    /// `password=VALUE`, `PGPASSWORD=VALUE`, `token=VALUE` (the word on its own, any case).
    mutating func maskAssignmentWord() -> Bool {
        let first = Self.lower(text[i])
        guard first == UInt8(ascii: "p") || first == UInt8(ascii: "s") || first == UInt8(ascii: "t"),
              i == 0 || !(Self.isAlnum(text[i - 1]) || text[i - 1] == UInt8(ascii: "_")),
              let word = Self.assignmentWords.first(where: { hasPrefix($0, at: i, caseInsensitive: true) }) else { return false }
        let valueStart = i + word.count
        let end = runEnd(from: valueStart, stop: [UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "\"")])
        guard end > valueStart else { return false }
        copy(upTo: valueStart)
        out += Self.mask
        i = end
        return true
    }
}
