import Foundation
import TestSupport

/// Runs the built `runbook` binary as a user would, capturing its output.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var repoRoot: URL { RunbookExecutable.packageRoot }

    /// The binary `swift build` made beside the tests.
    static var binary: URL { URL(fileURLWithPath: RunbookExecutable.path) }

    /// Runs `runbook ARGS`, waiting off the cooperative pool (see `ProcessRunner`).
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> Result {
        let r = try await ProcessRunner.run(RunbookExecutable.path, arguments, environment: environment, directory: directory)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}

/// A throwaway project folder: `runbook.toml` plus docs, removed when the test ends.
final class TempProject {
    let root: URL

    init(files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-test-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) }

    func run(_ args: [String], env: [String: String] = [:]) async throws -> CLIRunner.Result {
        try await CLIRunner.run(args, in: root, environment: env)
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

/// Validates HTML with html5lib's strict parser (installed by scripts/setup).
enum HTML5Validator {
    /// Parse errors per file (empty when every file is valid HTML5).
    static func errors(in files: [URL]) async throws -> [String] {
        let script = """
        import sys, html5lib
        bad = []
        for path in sys.argv[1:]:
            p = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
            with open(path, 'rb') as f:
                p.parse(f)
            for pos, code, data in p.errors:
                bad.append(f"{path}:{pos[0]}:{pos[1]}: {code} {data}")
        print("\\n".join(bad))
        """
        let r = try await ProcessRunner.run("python3", ["-c", script] + files.map(\.path))
        if r.status != 0 { return ["html5lib failed: \(r.stderr)"] }
        return r.stdout.split(separator: "\n").map(String.init)
    }
}
