import Foundation
import OpsActions
import Testing
import TestSupport

/// One case of the aws-c-auth SigV4 suite: the request before signing and the context.
struct SigV4Case: CustomStringConvertible {
    var name: String
    var folder: URL
    var request: SigV4Signer.Request
    var credentials: AWSCredentials
    var options: SigV4Signer.Options
    var expires: Int

    var description: String { name }

    static let names: [String] = {
        guard let dir = suiteFolder,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return ["(missing)"] }
        return entries.filter { !$0.hasPrefix(".") && $0 != "LICENSE" && $0 != "SOURCE.md" }.sorted()
    }()

    /// The suite in this target's fixtures (`Fixtures/sigv4`, see its SOURCE.md).
    static let suiteFolder = Bundle.module.url(forResource: "Fixtures/sigv4", withExtension: nil)

    static func load(_ name: String) throws -> SigV4Case? {
        guard let folder = suiteFolder?.appendingPathComponent(name),
              FileManager.default.fileExists(atPath: folder.appendingPathComponent("context.json").path) else {
            Issue.record("SigV4 suite case '\(name)' not found in Tests/OpsActionsTests/Fixtures/sigv4")
            return nil
        }
        let ctxData = try Data(contentsOf: folder.appendingPathComponent("context.json"))
        guard let ctx = try JSONSerialization.jsonObject(with: ctxData) as? [String: Any],
              let creds = ctx["credentials"] as? [String: Any],
              let akid = creds["access_key_id"] as? String, let secret = creds["secret_access_key"] as? String,
              let region = ctx["region"] as? String, let service = ctx["service"] as? String,
              let stamp = ctx["timestamp"] as? String, let date = ISO8601DateFormatter().date(from: stamp) else {
            Issue.record("\(name): unreadable context.json")
            return nil
        }
        let raw = String(decoding: try Data(contentsOf: folder.appendingPathComponent("request.txt")), as: UTF8.self)
        // Request line, header lines (a line starting with whitespace continues the previous one), blank, body.
        var lines = raw.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " ") else {
            Issue.record("\(name): bad request line")
            return nil
        }
        let method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        var headers: [(name: String, value: String)] = []
        var body = ""
        while !lines.isEmpty {
            let line = lines.removeFirst()
            if line.isEmpty {
                body = lines.joined(separator: "\n")
                break
            }
            if line.first == " " || line.first == "\t", let last = headers.popLast() {
                headers.append((name: last.name, value: last.value + "\n" + line))
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
            }
        }
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(pathPart[0]).removingPercentEncoding ?? String(pathPart[0])
        var query: [(name: String, value: String)] = []
        if pathPart.count > 1 {
            for item in pathPart[1].split(separator: "&") {
                let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let k = String(kv[0]).removingPercentEncoding ?? String(kv[0])
                let v = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
                query.append((name: k, value: v))
            }
        }
        let hash = SigV4Signer.sha256Hex(Data(body.utf8))
        return SigV4Case(
            name: name, folder: folder,
            request: SigV4Signer.Request(method: method, path: path, query: query, headers: headers, payloadHash: hash),
            credentials: AWSCredentials(accessKeyID: akid, secretAccessKey: secret, sessionToken: creds["token"] as? String),
            options: SigV4Signer.Options(region: region, service: service, date: date,
                                         normalizePath: ctx["normalize"] as? Bool ?? true,
                                         signPayloadHeader: ctx["sign_body"] as? Bool ?? false,
                                         omitSessionToken: ctx["omit_session_token"] as? Bool ?? false),
            expires: ctx["expiration_in_seconds"] as? Int ?? 3600)
    }

    func expected(_ file: String) throws -> String {
        String(decoding: try Data(contentsOf: folder.appendingPathComponent(file)), as: UTF8.self)
    }
}

@Suite("SigV4 conformance (aws-c-auth v4 suite)")
struct SigV4ConformanceTests {
    @Test("the suite has all 38 cases")
    func suiteIsComplete() {
        #expect(SigV4Case.names.count == 38, "found \(SigV4Case.names.count) cases in Tests/OpsActionsTests/Fixtures/sigv4")
    }

    @Test("header signing matches", arguments: SigV4Case.names)
    func headerSigning(name: String) throws {
        guard let c = try SigV4Case.load(name) else { return }
        let s = SigV4Signer.sign(c.request, credentials: c.credentials, options: c.options)
        #expect(s.canonicalRequest == (try c.expected("header-canonical-request.txt")))
        #expect(s.stringToSign == (try c.expected("header-string-to-sign.txt")))
        #expect(s.signature == (try c.expected("header-signature.txt")))
        let signedRequest = try c.expected("header-signed-request.txt")
        #expect(signedRequest.contains("Authorization:\(s.authorization)\n"))
    }

    @Test("query (presigned URL) signing matches", arguments: SigV4Case.names)
    func querySigning(name: String) throws {
        guard let c = try SigV4Case.load(name) else { return }
        guard FileManager.default.fileExists(atPath: c.folder.appendingPathComponent("query-signature.txt").path) else {
            Issue.record("\(name) has no query-signature.txt")
            return
        }
        let s = SigV4Signer.presign(c.request, credentials: c.credentials, options: c.options, expiresInSeconds: c.expires)
        #expect(s.canonicalRequest == (try c.expected("query-canonical-request.txt")))
        #expect(s.stringToSign == (try c.expected("query-string-to-sign.txt")))
        #expect(s.signature == (try c.expected("query-signature.txt")))
        #expect(s.query.last?.name == "X-Amz-Signature")
    }

    @Test("get-vanilla gives the signature DESIGN.md quotes")
    func vanilla() throws {
        guard let c = try SigV4Case.load("get-vanilla") else { return }
        #expect(SigV4Signer.sign(c.request, credentials: c.credentials, options: c.options).signature
            == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }
}
