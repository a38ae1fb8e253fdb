import Foundation
import Testing
import TestSupport
@testable import DocGen
import RunbookCore

/// The search index finds sections by English words and by Korean words inside longer words.
@Suite("Search index")
struct SearchIndexTests {
    @Test("Hangul is indexed as bigrams, so a word is found with a particle attached; words are lowercased")
    func terms() {
        let terms = Set(SearchIndex.terms(in: "그라파나 대시보드를 열어 Deployment_ID 확인"))
        for t in ["대시", "시보", "보드", "드를", "그라", "열어", "deployment_id"] { #expect(terms.contains(t), "\(t)") }
        #expect(!terms.contains("대시보드를"))
        #expect(Set(SearchIndex.terms(in: "a 값 x1")) == ["값", "x1"])
    }

    @Test("every section of every doc is an entry linking to its heading, with an excerpt")
    func entries() throws {
        let docSet = try DocSet.load(configPath: SiteTestSupport.docsetConfig)
        let doc = try #require(docSet.document(named: "incident-response"))
        let entries = SearchIndex.entries(of: doc)
        #expect(entries.map(\.id) == ["장애-대응-가이드", "api-down", "db-down"])
        let apiDown = try #require(entries.first { $0.id == "api-down" })
        #expect(apiDown.heading == "API 서버 무응답")
        #expect(apiDown.excerpt.hasPrefix("증상: /health 엔드포인트 타임아웃."))
        let terms = Set(apiDown.terms.all)
        #expect(terms.isSuperset(of: ["대시", "보드", "update", "service", "api"]))
    }

    @Test("the index is a script that defines the data (loads from file://), with keys in JavaScript order")
    func javascript() throws {
        let docSet = try DocSet.load(configPath: SiteTestSupport.docsetConfig)
        let js = String(decoding: SearchIndex.javascript(docs: docSet.documents), as: UTF8.self)
        #expect(js.contains("window.RUNBOOK_SEARCH = {"))
        #expect(js.contains("[0,\"api-down\",\"API 서버 무응답\","))
        let keysText = try #require(js.components(separatedBy: "\"keys\": [\n").last?.components(separatedBy: "],\n\"postings\"").first)
        let keys = keysText.split(whereSeparator: { $0 == "," || $0 == "\n" }).map { String($0.dropFirst().dropLast()) }
        #expect(keys == keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) })
        #expect(keys.contains("대시"))
    }

    @Test("keys sort in UTF-16 order: a letter beyond U+FFFF before U+FF41, ties past eight code units, prefixes first")
    func utf16Order() {
        let keys = ["ａｂ", "\u{20000}x", "abcdefghij", "abcdefghia", "abcdefgh", "abc", "대시", "대", "z", "ﬀ", "\u{1D41A}", "abcdefghi"]
        let order = SearchIndex.utf16Order(keys).map { keys[$0] }
        #expect(order == keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) })
        #expect((order.firstIndex(of: "\u{20000}x") ?? .max) < (order.firstIndex(of: "ａｂ") ?? .min))
    }
}

/// Server-side shell highlighting: spans only, so the copied text is exactly the text written.
@Suite("Shell highlighting")
struct ShellHighlighterTests {
    @Test("comments, strings, flags, variables and placeholders get classes; the text is unchanged")
    func spans() {
        let code = "aws ecs list-tasks --cluster ${CLUSTER} --service \"$SERVICE\" # 목록\necho $? $1 <task-id> 2>&1 | grep -v x\n"
        let html = ShellHighlighter.highlight(code)
        #expect(html.contains("<span class=\"sh-flag\">--cluster</span>"))
        #expect(html.contains("<span class=\"sh-var\">${CLUSTER}</span>"))
        #expect(html.contains("<span class=\"sh-string\">&quot;$SERVICE&quot;</span>"))
        #expect(html.contains("<span class=\"sh-comment\"># 목록</span>"))
        #expect(html.contains("<span class=\"sh-var\">$?</span> <span class=\"sh-var\">$1</span> <span class=\"sh-var\">&lt;task-id&gt;</span>"))
        #expect(html.contains("2&gt;&amp;1"))
        // Removing the spans and unescaping gives back the code exactly.
        var text = html
        while let open = text.range(of: "<span class=\"sh-"), let close = text[open.upperBound...].range(of: "\">") {
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        text = text.replacingOccurrences(of: "</span>", with: "").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        #expect(text == code)
    }
}
