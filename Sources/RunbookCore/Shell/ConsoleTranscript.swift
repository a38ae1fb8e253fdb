/// A `console` block is a transcript: commands after a `$ ` prompt, then their output.
public enum ConsoleTranscript {
    /// The shell text of the transcript: its `$ ` lines without the prompt, and the `\`
    /// continuations of those lines; output lines dropped.
    public static func commands(_ code: String) -> String {
        var out: [String] = []
        var continuing = false
        for raw in code.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if continuing {
                out.append(line)
            } else if line.hasPrefix("$ ") {
                out.append(String(line.dropFirst(2)))
            } else {
                continue
            }
            continuing = line.hasSuffix("\\")
        }
        return out.joined(separator: "\n")
    }
}
