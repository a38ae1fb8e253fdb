import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Facts about this machine and user for the audit log.
public enum SystemInfo {
    public static func hostName() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        guard gethostname(&buffer, 255) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }

    public static func userName(environment: [String: String]) -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name {
            let s = String(validatingCString: name) ?? ""
            if !s.isEmpty { return s }
        }
        return environment["USER"] ?? "uid-\(geteuid())"
    }

    /// `2026-11-27T05:31:00.123Z`.
    public static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// A run id: UTC start time plus random hex (`20261127T053100Z-3fa2c1`).
    public static func runID(_ date: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let random = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return f.string(from: date) + "-" + random
    }
}
