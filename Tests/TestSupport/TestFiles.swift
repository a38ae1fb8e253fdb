import Foundation

/// Large test files and byte-for-byte comparison, for transfer tests.
public enum TestFiles {
    /// A file of `size` bytes whose every MiB differs (so misplaced parts cannot compare equal).
    public static func make(_ path: String, size: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw TestSupportError("cannot write \(path)")
        }
        defer { try? out.close() }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var rng = SystemRandomNumberGenerator()
        for i in block.indices { block[i] = UInt8.random(in: 0...255, using: &rng) }
        var written = 0, index: UInt64 = 0
        while written < size {
            withUnsafeBytes(of: index.bigEndian) { for (i, b) in $0.enumerated() { block[i] = b } }
            let n = min(block.count, size - written)
            try out.write(contentsOf: block[..<n])
            written += n
            index += 1
        }
    }

    /// Whether two files hold the same bytes (compared 1 MiB at a time).
    public static func sameBytes(_ a: String, _ b: String) throws -> Bool {
        guard let fa = FileHandle(forReadingAtPath: a), let fb = FileHandle(forReadingAtPath: b) else { return false }
        defer { try? fa.close(); try? fb.close() }
        while true {
            let x = try fa.read(upToCount: 1 << 20) ?? Data()
            let y = try fb.read(upToCount: 1 << 20) ?? Data()
            if x != y { return false }
            if x.isEmpty { return true }
        }
    }
}
