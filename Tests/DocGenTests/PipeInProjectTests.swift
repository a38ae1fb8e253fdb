import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// A FIFO where the site builder walks (the theme folder) or fingerprints (config, docs) is never
/// opened: the build cannot hang on a pipe nobody writes to.
@Suite("The site builder and a FIFO in the project")
struct PipeInProjectTests {
    @Test("a FIFO in the theme folder is an error naming it, without opening it")
    func themeFIFO() throws {
        let config = try ThemeTests.themedProject(["style.css": "body { color: teal; }\n"])
        let theme = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("theme")
        let writer = try FIFOWriter(path: theme.appendingPathComponent("logo.svg").path, text: "<svg/>")
        defer { writer.stop() }
        let docSet = try DocSet.load(configPath: config)
        let error = #expect(throws: ConfigError.self) { try SiteBuilder(docSet: docSet).render() }
        #expect(error?.message == "theme file \(theme.path)/logo.svg is a FIFO (named pipe), not a file the site can copy; remove it from the theme folder")
        #expect(writer.served == 0)
    }

    @Test("the build cache takes no shortcut for a runbook.toml or a doc given as a FIFO, and opens neither")
    func cacheSkipsPipes() throws {
        let config = try SiteTestSupport.project(texts: ["a.md": "# A\n"])
        #expect(SiteBuildCache.inputs(configPath: config) != nil)
        let root = URL(fileURLWithPath: config).deletingLastPathComponent()
        let doc = try FIFOWriter(path: root.appendingPathComponent("docs/b.md").path, text: "# B\n")
        defer { doc.stop() }
        #expect(SiteBuildCache.inputs(configPath: config) == nil)
        let piped = try FIFOWriter(path: root.appendingPathComponent("piped.toml").path, text: "[site]\ntitle = \"P\"\n")
        defer { piped.stop() }
        #expect(SiteBuildCache.inputs(configPath: piped.path) == nil)
        #expect(doc.served == 0 && piped.served == 0)
    }
}
