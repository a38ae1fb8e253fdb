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
            // A build with nothing changed stops here, before parsing a single doc. Only a regular
            // runbook.toml counts as an input: one given as a pipe is read once, below.
            let inputs = check ? nil : SiteBuildCache.inputs(configPath: options.config)
            let config = try RunbookConfig.load(path: options.config)
            let root = URL(fileURLWithPath: options.config).deletingLastPathComponent()
            let outPath = out ?? root.appendingPathComponent(config.site.out).path
            if let inputs, let cache = SiteBuildCache(outDir: URL(fileURLWithPath: outPath)), let count = cache.upToDateFileCount(inputs) {
                print("built \(count - 1) files in \(outPath) (0 written, \(count) unchanged, 0 removed; nothing changed since the last build)")
                return
            }
            let docSet = try DocSet.load(config: config, root: root)
            for w in docSet.diagnostics where w.severity == .warning { Terminal.warning("\(w.file):\(w.line): \(w.message)") }
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
}
