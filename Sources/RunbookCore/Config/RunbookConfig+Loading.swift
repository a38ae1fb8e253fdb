import SystemIO

extension RunbookConfig {
    /// Reads and parses the runbook.toml at `path`: the one place runbook.toml is read.
    ///
    /// The path is one the user named (`--config`), so a FIFO or `/dev/fd/N` (`--config <(...)`)
    /// is read like a file, once; callers keep the result instead of reading it again.
    /// `missingHint` says what to do when nothing is at `path`.
    public static func load(
        path: String, missingHint: String = "run runbook from the project folder or pass --config FILE"
    ) throws(ConfigError) -> RunbookConfig {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(path: path)
        } catch {
            let next = error.code == .notFound ? missingHint : error.advice
            throw ConfigError(file: path, line: 0, message: "cannot read the config file (\(error.reason)); \(next)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(file: path, line: 0, message: "the config file is not UTF-8 text; save it as UTF-8")
        }
        return try parse(text, path: path)
    }
}
