import Foundation
import Testing
@testable import RunbookCore

@Suite struct SluggerTests {
    struct Fixture: Decodable {
        var name: String
        var input: String
        var expected: String
    }

    @Test func githubSluggerFixtures() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/github-slugger/fixtures", withExtension: "json"),
                               "Tests/RunbookCoreTests/Fixtures/github-slugger/fixtures.json is missing")
        let fixtures = try JSONDecoder().decode([Fixture].self, from: Data(contentsOf: url))
        #expect(fixtures.count == 78)
        var slugger = HeadingSlugger()
        for f in fixtures {
            #expect(slugger.slug(f.input) == f.expected, "\(f.name)")
        }
    }
}
