import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// `[site] theme = "DIR"` overrides embedded templates and assets by file name.
@Suite("Themes")
struct ThemeTests {
    static func themedProject(_ theme: [String: String]) throws -> String {
        let config = try SiteTestSupport.project(
            texts: ["a.md": "# A 문서\n\n본문\n"],
            config: "[site]\ntitle = \"T\"\ndocs = \"docs\"\ntheme = \"theme\"\n")
        let dir = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("theme")
        for (name, text) in theme {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return config
    }

    @Test("a theme folder replaces page.html and style.css and adds its own files")
    func overrides() throws {
        let config = try Self.themedProject([
            "page.html": "<!DOCTYPE html><html lang=\"{{lang}}\"><title>{{title}}</title><body class=\"{{page_kind}}\">{{nav}}{{content}}<img src=\"{{root}}img/logo.svg\" alt=\"\"></body></html>\n",
            "style.css": "body { color: rebeccapurple; }\n",
            "img/logo.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        ])
        let files = try SiteBuilder(docSet: try DocSet.load(configPath: config)).render()
        let page = String(decoding: try #require(files["a.html"]), as: UTF8.self)
        #expect(page.hasPrefix("<!DOCTYPE html><html lang=\"ko\"><title>A 문서</title><body class=\"doc\">"))
        #expect(page.contains("img/logo.svg"))
        #expect(files["style.css"] == Array("body { color: rebeccapurple; }\n".utf8))
        #expect(files["img/logo.svg"] != nil)
        #expect(files["site.js"] == Array(EmbeddedTheme.script.utf8), "files the theme does not have stay embedded")
    }

    @Test("a template variable that does not exist is an error naming it and the ones there are")
    func unknownVariable() throws {
        let config = try Self.themedProject(["page.html": "<html>{{contnet}}</html>"])
        let docSet = try DocSet.load(configPath: config)
        let error = #expect(throws: ConfigError.self) { try SiteBuilder(docSet: docSet).render() }
        #expect(error?.message.contains("{{contnet}}") == true)
        #expect(error?.message.contains("content, footer") == true)
    }

    @Test("a theme cannot replace generated files, and a missing theme folder is an error")
    func badThemes() throws {
        let generated = try Self.themedProject(["search-index.js": "window.RUNBOOK_SEARCH = {};"])
        #expect(throws: ConfigError.self) { try SiteBuilder(docSet: try DocSet.load(configPath: generated)).render() }
        let missing = try SiteTestSupport.project(texts: ["a.md": "# A\n"], config: "[site]\ndocs = \"docs\"\ntheme = \"nope\"\n")
        #expect(throws: ConfigError.self) { try SiteBuilder(docSet: try DocSet.load(configPath: missing)).render() }
    }

    @Test("the embedded page template uses only documented variables")
    func embeddedVariables() {
        #expect(Set(Theme.embedded.page.variables).isSubset(of: Theme.variables))
        #expect(Set(Theme.embedded.page.variables) == Theme.variables)
    }
}
