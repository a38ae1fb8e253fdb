import Foundation
import Testing
@testable import DocGen
import TestSupport

@Suite struct SluggerTests {
    struct Fixture: Decodable {
        var name: String
        var input: String
        var expected: String
    }

    @Test func githubSluggerFixtures() throws {
        let url = Conformance.url("github-slugger-fixtures.json")
        guard let url else { return }
        let fixtures = try JSONDecoder().decode([Fixture].self, from: Data(contentsOf: url))
        #expect(fixtures.count == 78)
        var slugger = HeadingSlugger()
        for f in fixtures {
            #expect(slugger.slug(f.input) == f.expected, "\(f.name)")
        }
    }
}
