import Foundation
import SystemIO
import Testing
import TestSupport

@Suite("FileReader: every kind of file a user may name, bounded, failing with the file and the system's reason")
struct FileReaderTests {
    let dir = TempDir()

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir.file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The error `body` throws, or an issue when it throws none.
    func failure(_ body: () throws(FileReadError) -> [UInt8]?, sourceLocation: SourceLocation = #_sourceLocation) -> FileReadError? {
        do {
            let bytes = try body()
            Issue.record("read \(bytes?.count ?? 0) bytes instead of failing", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test("a regular file reads whole, and from an offset")
    func regularFile() throws {
        let path = try write("config", "[default]\nregion = ap-northeast-2\n")
        #expect(try FileReader.read(path: path) == Array("[default]\nregion = ap-northeast-2\n".utf8))
        #expect(try FileReader.read(path: path, from: 10) == Array("region = ap-northeast-2\n".utf8))
        #expect(try FileReader.read(path: path, accepting: .regularFilesOnly).count == 34)
    }

    @Test("an empty file reads as no bytes")
    func emptyFile() throws {
        #expect(try FileReader.read(path: try write("empty", "")) == [])
    }

    @Test("/dev/null reads as empty (AWS_CONFIG_FILE=/dev/null isolates a CI job)")
    func devNull() throws {
        #expect(try FileReader.read(path: "/dev/null") == [])
        #expect(try FileReader.readIfPresent(path: "/dev/null") == [])
    }

    @Test("a FIFO reads what its writer wrote, as often as it is opened")
    func fifo() throws {
        let writer = try FIFOWriter(path: dir.file("fifo"), text: "[default]\naws_access_key_id = AKIDFIFO\n")
        defer { writer.stop() }
        #expect(try FileReader.read(path: writer.path) == Array("[default]\naws_access_key_id = AKIDFIFO\n".utf8))
        #expect(try FileReader.read(path: writer.path) == Array("[default]\naws_access_key_id = AKIDFIFO\n".utf8))
        #expect(writer.served == 2)
    }

    @Test("an anonymous pipe named /dev/fd/N (bash's <(...)) reads to its end")
    func anonymousPipe() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let text = Array("[env.prod]\nregion = \"ap-northeast-2\"\n".utf8)
        #expect(text.withUnsafeBytes { Glibc.write(ends[1], $0.baseAddress, $0.count) } == text.count)
        close(ends[1])
        #expect(try FileReader.read(path: "/dev/fd/\(ends[0])") == text)
    }

    @Test("a missing file is .notFound with the system's reason; readIfPresent gives nil")
    func missing() throws {
        let path = dir.file("nope")
        let error = try #require(failure { () throws(FileReadError) in try FileReader.read(path: path) })
        #expect(error.code == .notFound)
        #expect(error.errnoCode == ENOENT)
        #expect(error.description == "cannot read \(path): No such file or directory; check the path")
        #expect(try FileReader.readIfPresent(path: path) == nil)
        // A path through a file is missing too (ENOTDIR), as the AWS CLI sees it.
        let through = try write("plain", "x") + "/config"
        #expect(try FileReader.readIfPresent(path: through) == nil)
    }

    @Test("a folder is an error even for root: Is a directory, and what to give instead")
    func folder() throws {
        for accepting in [FileReader.Accepting.anyFile, .regularFilesOnly] {
            let error = try #require(failure { () throws(FileReadError) in try FileReader.readIfPresent(path: dir.path, accepting: accepting) })
            #expect(error.code == .system)
            #expect(error.errnoCode == EISDIR)
            #expect(error.description == "cannot read \(dir.path): Is a directory; give the path of a file, not a folder")
        }
    }

    @Test("a file without read permission is Permission denied (only when not root: root reads anything)",
          .enabled(if: geteuid() != 0))
    func noPermission() throws {
        let path = try write("secret", "x")
        try #require(chmod(path, 0o200) == 0)
        let error = try #require(failure { () throws(FileReadError) in try FileReader.readIfPresent(path: path) })
        #expect(error.errnoCode == EACCES)
        #expect(error.description.contains("Permission denied; check its owner and permissions"))
    }

    @Test("the limit: a file of exactly `limit` bytes reads; one byte more stops, naming the file and the limit")
    func limit() throws {
        let exact = try write("exact", String(repeating: "a", count: 1024))
        #expect(try FileReader.read(path: exact, limit: 1024).count == 1024)
        let over = try write("over", String(repeating: "a", count: 1025))
        let error = try #require(failure { () throws(FileReadError) in try FileReader.read(path: over, limit: 1024) })
        #expect(error.code == .tooLarge)
        #expect(error.description == "cannot read \(over): larger than 1 KiB, the most read from it; check that it is the right file")
        // From an offset, only what is left counts.
        #expect(try FileReader.read(path: over, limit: 1024, from: 1).count == 1024)
    }

    @Test("an endless device and an overfull pipe stop at the limit instead of reading forever")
    func endless() throws {
        let zero = try #require(failure { () throws(FileReadError) in try FileReader.read(path: "/dev/zero", limit: 1 << 20) })
        #expect(zero.code == .tooLarge)
        #expect(zero.description.contains("larger than 1 MiB"))
        let writer = try FIFOWriter(path: dir.file("big"), text: String(repeating: "b", count: 100))
        defer { writer.stop() }
        let pipe = try #require(failure { () throws(FileReadError) in try FileReader.read(path: writer.path, limit: 99) })
        #expect(pipe.code == .tooLarge)
        #expect(pipe.description.contains("larger than 99 bytes"))
    }

    @Test("regularFilesOnly (a folder walk) refuses a FIFO at once without opening it, and /dev/null too")
    func walkNeverWaits() throws {
        let writer = try FIFOWriter(path: dir.file("stray.md"), text: "# never read\n")
        defer { writer.stop() }
        let error = try #require(failure { () throws(FileReadError) in
            try FileReader.read(path: writer.path, accepting: .regularFilesOnly)
        })
        #expect(error.code == .notRegularFile)
        #expect(error.kind == .fifo)
        #expect(error.description == "cannot read \(writer.path): it is a FIFO (named pipe), not a regular file; only regular files are read from a folder, so that nothing waits on a pipe")
        #expect(writer.served == 0)
        let device = try #require(failure { () throws(FileReadError) in try FileReader.read(path: "/dev/null", accepting: .regularFilesOnly) })
        #expect(device.kind == .characterDevice)
    }
}

@Suite("SystemCall: the one syscall loop")
struct SystemCallTests {
    @Test("EINTR is retried; any other failure throws the call's name and errno")
    func retries() throws {
        var calls = 0
        let result = try SystemCall.retryingInterrupts("read") { () -> Int in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7 && calls == 3)
        #expect(throws: SystemCallError(call: "open", code: EACCES)) {
            try SystemCall.retryingInterrupts("open") { () -> Int32 in
                errno = EACCES
                return -1
            }
        }
        #expect(SystemCallError(call: "open", code: EACCES).description == "open: Permission denied")
    }
}
