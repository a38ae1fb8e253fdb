import ArgumentParser
import DocGen
import RunbookCore
import Foundation

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the ops site from the docs (only changed files are written).")

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Output folder (default: [site] out in runbook.toml).")
    var out: String?

    @Flag(name: .long, help: "Write nothing; exit 1 and list the files if the site is stale.")
    var check = false

    func run() throws {
        try Terminal.guarded {
            // A build with nothing changed stops here, before parsing a single doc.
            let inputs = check ? nil : SiteBuildCache.inputs(configPath: options.config)
            if let inputs, let outPath = try? defaultOutPath(), let cache = SiteBuildCache(outDir: URL(fileURLWithPath: outPath)),
               let count = cache.upToDateFileCount(inputs) {
                print("built \(count - 1) files in \(outPath) (0 written, \(count) unchanged, 0 removed; nothing changed since the last build)")
                return
            }
            let docSet = try options.loadDocSet()
            for w in docSet.diagnostics where w.severity == .warning { Terminal.warning(w.description) }
            let outPath = out ?? docSet.root.appendingPathComponent(docSet.config.site.out).path
            let outURL = URL(fileURLWithPath: outPath)
            let builder = SiteBuilder(docSet: docSet)
            if check {
                let cmp = try builder.compare(with: outURL)
                if cmp.isFresh {
                    print("\(outPath) is up to date")
                    return
                }
                for f in cmp.stale { print("stale   \(outPath)/\(f)") }
                for f in cmp.missing { print("missing \(outPath)/\(f)") }
                for f in cmp.extra { print("extra   \(outPath)/\(f)") }
                throw CLIFailure(["\(outPath) is stale (\(cmp.stale.count) changed, \(cmp.missing.count) missing, \(cmp.extra.count) extra); run `runbook build` and commit it"])
            }
            let cache = SiteBuildCache(outDir: outURL)
            cache?.invalidate()
            let report = try builder.build(into: outURL)
            if let inputs { cache?.record(inputs) }
            print("built \(report.total) files in \(outPath) (\(report.written.count) written, \(report.unchanged) unchanged, \(report.removed.count) removed)")
            print("open \(outPath)/index.html in a browser, or run `runbook serve`")
        }
    }

    /// `--out`, else `[site] out` from the config, relative to the config's folder.
    private func defaultOutPath() throws -> String {
        if let out { return out }
        let configURL = URL(fileURLWithPath: options.config)
        let config = try RunbookConfig.parse(try String(contentsOf: configURL, encoding: .utf8), path: options.config)
        return configURL.deletingLastPathComponent().appendingPathComponent(config.site.out).path
    }
}
