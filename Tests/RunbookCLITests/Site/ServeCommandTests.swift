import Foundation
import Testing
import TestSupport

@Suite("Preview server: through the CLI")
struct PreviewServerCLITests {
    @Test("runbook serve prints its URL, answers, and exits 0 on Ctrl-C (SIGINT)")
    func ctrlC() throws {
        let config = try SiteTestSupport.reversedCopy()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SiteTestSupport.runbookBinary)
        process.arguments = ["serve", "--port", "0", "--config", config]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var banner = ""
        while !banner.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        let port = try #require(banner.components(separatedBy: "http://127.0.0.1:").dropFirst().first.flatMap { UInt16($0.prefix { $0.isNumber }) })
        #expect(try SiteTestSupport.get(port, "/index.html").status == 200)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let rest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(rest.contains("stopped"))
    }
}
