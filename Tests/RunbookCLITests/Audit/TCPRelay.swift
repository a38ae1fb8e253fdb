import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay on loopback in front of a server (moto): stopping it makes the server unreachable
/// (connections refused) while the server keeps its state, as CloudWatch does during an outage.
final class TCPRelay: Sendable {
    let port: Int
    private let process: Process

    var endpoint: String { "http://127.0.0.1:\(port)" }

    init(to targetPort: Int) throws {
        let script = """
            import os, socket, sys, threading, time
            parent, target = int(sys.argv[1]), int(sys.argv[2])
            def watch():
                while True:
                    try:
                        os.kill(parent, 0)
                    except OSError:
                        os._exit(0)
                    time.sleep(0.5)
            threading.Thread(target=watch, daemon=True).start()
            def pipe(a, b):
                try:
                    while True:
                        data = a.recv(65536)
                        if not data:
                            break
                        b.sendall(data)
                except OSError:
                    pass
                finally:
                    for s in (a, b):
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
            server = socket.socket()
            server.bind(("127.0.0.1", 0))
            server.listen(64)
            print(server.getsockname()[1], flush=True)
            while True:
                client, _ = server.accept()
                upstream = socket.create_connection(("127.0.0.1", target))
                threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
                threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
            """
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, "\(getpid())", "\(targetPort)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw RelayError(description: "the relay did not print its port")
        }
        self.port = port
    }

    struct RelayError: Error, CustomStringConvertible { var description: String }

    /// Kills the relay: open connections drop, new ones are refused.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
