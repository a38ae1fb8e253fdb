import ArgumentParser
import DocGen
import RunbookCore
import Foundation
import SitePreview

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the ops site on 127.0.0.1; rebuilds and reloads open pages when a doc changes.")

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "The port on 127.0.0.1 (0: any free port).")
    var port: UInt16 = 8000

    func run() throws {
        try Terminal.guarded {
            let session = PreviewSession(configPath: options.config) { message in
                FileHandle.standardError.write(Data("runbook: \(message)\n".utf8))
            }
            try session.start(port: port)
            // Ctrl-C and SIGTERM end the loop; the handler runs on a queue, not in signal context.
            var sources: [any DispatchSourceSignal] = []
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { session.stop() }
                source.resume()
                sources.append(source)
            }
            let banner = "serving http://127.0.0.1:\(session.server.port)/ (Ctrl-C to stop); watching \(options.config) and its docs\n"
            FileHandle.standardOutput.write(Data(banner.utf8))
            // Blocks this (main) thread until Ctrl-C: the server's poll loop runs here, not on the task pool.
            try session.run()
            sources.forEach { $0.cancel() }
            print("stopped")
        }
    }
}
