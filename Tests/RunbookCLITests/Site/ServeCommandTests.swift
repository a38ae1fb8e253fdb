import Foundation
import Testing
import TestSupport

@Suite("Preview server: through the CLI")
struct PreviewServerCLITests {
    @Test("runbook serve prints its URL, answers, and exits 0 on Ctrl-C (SIGINT)")
    func ctrlC() throws {
        let serve = try Serve()
        #expect(try SiteTestSupport.get(serve.port, "/index.html").status == 200)
        let rest = serve.interrupt()
        #expect(serve.process.terminationReason == .exit)
        #expect(serve.process.terminationStatus == 0)
        #expect(rest.contains("stopped"))
    }

    @Test("runbook serve listens on 127.0.0.1 only and refuses a foreign Host")
    func loopbackOnly() throws {
        let serve = try Serve()
        defer { _ = serve.interrupt() }
        // The kernel's own table of listening sockets: exactly one, bound to 127.0.0.1, none on IPv6.
        #expect(Self.listeners(port: serve.port, table: "/proc/net/tcp") == ["0100007F"])
        #expect(Self.listeners(port: serve.port, table: "/proc/net/tcp6").isEmpty)
        let refused = try SiteTestSupport.exchange(serve.port, Array("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n".utf8))
        #expect(refused.status == 403)
        #expect(refused.body.contains("DNS rebinding"))
    }

    /// The local addresses (hex, as the kernel prints them) of sockets listening on `port` in a /proc/net table.
    static func listeners(port: UInt16, table: String) -> [String] {
        guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { return [] }
        let wanted = String(format: "%04X", port)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "0A" else { return nil }  // 0A: LISTEN
            let local = fields[1].split(separator: ":")
            guard local.count == 2, local[1] == wanted else { return nil }
            return String(local[0])
        }
    }

    /// `runbook serve --port 0` on a copy of the golden doc set, with the port it printed.
    struct Serve {
        let process = Process()
        let out = Pipe()
        let port: UInt16

        init() throws {
            let config = try SiteTestSupport.reversedCopy()
            process.executableURL = URL(fileURLWithPath: SiteTestSupport.runbookBinary)
            process.arguments = ["serve", "--port", "0", "--config", config]
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var banner = ""
            while !banner.contains("\n") {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                banner += String(decoding: chunk, as: UTF8.self)
            }
            let port = banner.components(separatedBy: "http://127.0.0.1:").dropFirst().first.flatMap { UInt16($0.prefix { $0.isNumber }) }
            guard let port else {
                process.terminate()
                throw TestSupportError("runbook serve printed no URL: \(banner)")
            }
            self.port = port
        }

        /// Ctrl-C; waits for the exit and returns the rest of stdout.
        func interrupt() -> String {
            guard process.isRunning else { return "" }
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
    }
}
