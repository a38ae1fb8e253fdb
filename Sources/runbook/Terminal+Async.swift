import ArgumentParser
import RunbookCore
import Foundation

extension Terminal {
    /// `guarded` for async bodies: the same one-line errors and exit codes.
    static func guardedAsync(_ body: () async throws -> Void) async throws {
        var failure: (any Error)?
        do {
            try await body()
        } catch {
            failure = error
        }
        if let failure {
            try guarded { throw failure }
        }
    }
}
