import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DocGen
import RunbookCore

/// Fixtures, temporary projects and external tools (python3, chromium, the runbook binary) for the site tests.
public enum SiteTestSupport {
    /// The package root (three levels above this file).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let testsFolder = packageRoot.appendingPathComponent("Tests/DocGenTests")
    public static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    /// The small doc set the golden files are made from.
    public static let docsetConfig = fixtures.appendingPathComponent("docset/runbook.toml").path
    public static let tools = fixtures.appendingPathComponent("tools")
    public static let artifacts = packageRoot.appendingPathComponent(".build/test-artifacts")

    /// A fresh empty folder under the system's temporary folder.
    public static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-site-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a project (runbook.toml and `docs/...`) and returns the config's path.
    public static func project(_ docs: [String: [UInt8]], config: String? = nil, label: String = "project") throws -> String {
        let root = try temporaryFolder(label)
        let toml = config ?? "[site]\ntitle = \"Test\"\ndocs = \"docs\"\nout = \"site\"\nlanguage = \"ko\"\n"
        try Data(toml.utf8).write(to: root.appendingPathComponent("runbook.toml"))
        for (path, bytes) in docs.sorted(by: { $0.key < $1.key }) {
            let url = root.appendingPathComponent("docs").appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return root.appendingPathComponent("runbook.toml").path
    }

    public static func project(texts: [String: String], config: String? = nil, label: String = "project") throws -> String {
        try project(texts.mapValues { Array($0.utf8) }, config: config, label: label)
    }

    /// Loads and builds a project into `out`.
    @discardableResult
    public static func build(_ configPath: String, into out: URL) throws -> SiteBuilder.Report {
        let docSet = try DocSet.load(configPath: configPath)
        return try SiteBuilder(docSet: docSet).build(into: out)
    }

    /// Every file under `dir`, relative path -> bytes.
    public static func snapshot(_ dir: URL) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for path in SiteWriter(outDir: dir).existingFiles() {
            out[path] = SiteWriter.read(dir.appendingPathComponent(path).path)
        }
        return out
    }

    /// Modification times of every file under `dir`.
    public static func mtimes(_ dir: URL) -> [String: String] {
        var out: [String: String] = [:]
        for path in SiteWriter(outDir: dir).existingFiles() {
            out[path] = SiteBuildCache.stamp(dir.appendingPathComponent(path).path)
        }
        return out
    }

    public struct ProcessResult: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs a program to completion (found on PATH when `program` has no slash).
    public static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        let r = try ProcessRunner.run(program, arguments, environment: environment)
        return ProcessResult(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// The `runbook` executable built next to the tests.
    public static var runbookBinary: String { RunbookExecutable.path }

    /// Runs `check_site.py` on a built site: HTML5 parse errors, broken links and anchors, live script.
    public static func checkSite(_ dir: URL) throws -> (pages: Int, problems: [String]) {
        let result = try run("python3", [tools.appendingPathComponent("check_site.py").path, dir.path])
        #expect(result.status == 0, "check_site.py failed: \(result.stderr)")
        struct Report: Decodable { var pages: Int; var problems: [String] }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        return (report.pages, report.problems)
    }

    /// A copy of the golden doc set written in reverse file order (for determinism checks).
    public static func reversedCopy() throws -> String {
        let source = URL(fileURLWithPath: SiteTestSupport.docsetConfig).deletingLastPathComponent()
        let root = try SiteTestSupport.temporaryFolder("reversed")
        let files = SiteWriter(outDir: source).existingFiles().sorted().reversed()
        for rel in files {
            let to = root.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(try #require(SiteWriter.read(source.appendingPathComponent(rel).path))).write(to: to)
        }
        return root.appendingPathComponent("runbook.toml").path
    }

    /// A plain HTTP/1.1 GET over a socket; returns the status code and body.
    public static func get(_ port: UInt16, _ path: String) throws -> (status: Int, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0, "cannot connect to 127.0.0.1:\(port)")
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body)
    }

    /// A TCP connection to 127.0.0.1:`port` that has sent nothing yet; reads on it give up after `timeout` seconds.
    /// The caller closes it.
    public static func connectLoopback(_ port: UInt16, timeout: Double = 15) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw TestSupportError("cannot connect to 127.0.0.1:\(port): errno \(code)")
        }
        return fd
    }

    /// What came back for a raw request: status 0 when the server closed the connection without a status line.
    public struct RawResponse: Sendable {
        public var status: Int
        /// The status line and headers, as sent.
        public var head: String
        public var body: String
    }

    /// Sends `request` byte for byte on a fresh connection and reads until the server closes it (or `timeout`
    /// seconds pass without data). A reset connection is an answer too: whatever arrived before it.
    public static func exchange(_ port: UInt16, _ request: [UInt8], timeout: Double = 15) throws -> RawResponse {
        let fd = try connectLoopback(port, timeout: timeout)
        defer { close(fd) }
        var offset = 0
        while offset < request.count {
            let sent = request.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { break }
            offset += sent
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let status = text.hasPrefix("HTTP/1.") ? Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0 : 0
        return RawResponse(status: status, head: parts.first ?? "", body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Waits (bounded) until `condition` holds; a correctness check, not a timing assertion.
    public static func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }
}
