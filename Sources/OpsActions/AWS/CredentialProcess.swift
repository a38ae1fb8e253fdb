import Foundation

/// Runs a profile's `credential_process` command, as the AWS CLI does, and returns what it prints.
public enum CredentialProcess {
    /// Runs `command` through `/bin/sh -c` and returns its standard output; a non-zero exit is an error.
    @Sendable public static func run(_ command: String) throws(AWSConfigurationError) -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AWSConfigurationError(message: "credential_process '\(command)' could not start: \(error.localizedDescription)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            // Only the first line of stderr: enough to say why, little room for anything sensitive.
            let first = String(decoding: errData, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            throw AWSConfigurationError(message: "credential_process '\(command)' exited with status \(process.terminationStatus)\(first.isEmpty ? "" : ": \(first)")")
        }
        return data
    }
}
