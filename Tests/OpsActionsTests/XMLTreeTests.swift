import Foundation
import OpsActions
import Testing

@Suite("XMLTree: bounded input; malformed XML is an error, never a crash")
struct XMLTreeTests {
    @Test("a well-formed reply, with or without the spaces S3 sends first, reads as a tree")
    func wellFormed() throws {
        let text = "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ops</Arn><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"
        for data in [Data(text.utf8), Data(("\n   \r\n" + text).utf8)] {
            let tree = try XMLTree.read(data)
            #expect(tree.value("Account") == "123456789012")
        }
    }

    @Test("malformed, hostile and oversized input: each an error that says what is wrong")
    func malformed() throws {
        var deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            ]><lolz>&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;</lolz>
            """
        let external = #"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#
        let cases: [(Data, XMLTree.ParseFailure)] = [
            (Data(), .empty),
            (Data("  \n\t ".utf8), .empty),
            (Data(deep.utf8), .tooDeep(limit: XMLTree.maxDepth)),
            (Data(laughs.utf8), .documentType),
            (Data(external.utf8), .documentType),
        ]
        for (data, expected) in cases {
            #expect(throws: expected) { try XMLTree.read(data) }
        }
        deep = ""
        let broken: [Data] = [
            Data("<a>".utf8), Data("<a></b>".utf8), Data("not xml at all".utf8), Data("<a>&undefined;</a>".utf8),
            Data(#"<?xml version="1.0" encoding="no-such-encoding"?><a/>"#.utf8),
            Data((0...255).map { UInt8($0) }), Data([0x3C, 0x61, 0x3E, 0xFF, 0xFE, 0x00, 0x3C, 0x2F, 0x61, 0x3E]),
            Data("<a>x</a><b/>".utf8), Data("<a b='1' b='2'/>".utf8),
        ]
        for data in broken {
            do {
                _ = try XMLTree.read(data)
                Issue.record("read malformed bytes as XML: \(String(decoding: data, as: UTF8.self).debugDescription)")
            } catch {
                #expect("\(error)".contains("not well-formed XML (line "), "\(error)")
            }
        }
    }

    @Test("more bytes than allowed are refused without being parsed")
    func bounded() throws {
        let big = Data(("<a>" + String(repeating: "x", count: 5000) + "</a>").utf8)
        #expect(throws: XMLTree.ParseFailure.tooLarge(bytes: big.count, limit: 4096)) { try XMLTree.read(big, maxBytes: 4096) }
        #expect(XMLTree.parse(big, maxBytes: 4096) == nil)
        #expect(XMLTree.parse(big)?.text.count == 5000)
    }
}
