import Foundation

/// Runs the built `runbook` binary as a user would, capturing its output.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The debug binary `swift build` made beside the tests.
    static var binary: URL {
        if let explicit = ProcessInfo.processInfo.environment["RUNBOOK_BIN"] { return URL(fileURLWithPath: explicit) }
        return repoRoot.appendingPathComponent(".build/debug/runbook")
    }

    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
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

    func run(_ args: [String], env: [String: String] = [:]) throws -> CLIRunner.Result {
        try CLIRunner.run(args, in: root, environment: env)
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

/// Validates HTML with html5lib's strict parser (installed by scripts/setup).
enum HTML5Validator {
    /// Parse errors per file (empty when every file is valid HTML5).
    static func errors(in files: [URL]) throws -> [String] {
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + files.map(\.path)
        let out = Pipe()
        process.standardOutput = out
        let err = Pipe()
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 { return ["html5lib failed: \(errText)"] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
