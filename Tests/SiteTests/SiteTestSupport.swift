import Foundation
import TestSupport
import Testing
@testable import DocGen

/// Fixtures, temporary projects and external tools (python3, chromium, the runbook binary) for the site tests.
enum SiteTestSupport {
    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let testsFolder = packageRoot.appendingPathComponent("Tests/SiteTests")
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    /// The small doc set the golden files are made from.
    static let docsetConfig = fixtures.appendingPathComponent("docset/runbook.toml").path
    static let tools = fixtures.appendingPathComponent("tools")
    static let artifacts = packageRoot.appendingPathComponent(".build/test-artifacts")

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-site-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a project (runbook.toml and `docs/...`) and returns the config's path.
    static func project(_ docs: [String: [UInt8]], config: String? = nil, label: String = "project") throws -> String {
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

    static func project(texts: [String: String], config: String? = nil, label: String = "project") throws -> String {
        try project(texts.mapValues { Array($0.utf8) }, config: config, label: label)
    }

    /// Loads and builds a project into `out`.
    @discardableResult
    static func build(_ configPath: String, into out: URL) throws -> SiteBuilder.Report {
        let docSet = try DocSet.load(configPath: configPath)
        return try SiteBuilder(docSet: docSet).build(into: out)
    }

    /// Every file under `dir`, relative path -> bytes.
    static func snapshot(_ dir: URL) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for path in SiteWriter(outDir: dir).existingFiles() {
            out[path] = SiteWriter.read(dir.appendingPathComponent(path).path)
        }
        return out
    }

    /// Modification times of every file under `dir`.
    static func mtimes(_ dir: URL) -> [String: String] {
        var out: [String: String] = [:]
        for path in SiteWriter(outDir: dir).existingFiles() {
            out[path] = SiteBuildCache.stamp(dir.appendingPathComponent(path).path)
        }
        return out
    }

    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion (found on PATH when `program` has no slash).
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        let r = try ProcessRunner.run(program, arguments, environment: environment)
        return ProcessResult(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// The `runbook` executable built next to the tests.
    static var runbookBinary: String { RunbookExecutable.path }

    /// Runs `check_site.py` on a built site: HTML5 parse errors, broken links and anchors, live script.
    static func checkSite(_ dir: URL) throws -> (pages: Int, problems: [String]) {
        let result = try run("python3", [tools.appendingPathComponent("check_site.py").path, dir.path])
        #expect(result.status == 0, "check_site.py failed: \(result.stderr)")
        struct Report: Decodable { var pages: Int; var problems: [String] }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        return (report.pages, report.problems)
    }
}
