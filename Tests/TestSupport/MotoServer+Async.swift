import SystemIO

extension MotoServer {
    /// `init` for async tests: starting moto (a Python process, then asking it until it answers,
    /// a few seconds) waits on a thread of its own, not on one of the cooperative pool's.
    public static func start(environment: [String: String] = [:], readyTimeout: Double = 30) async throws -> MotoServer {
        try await BlockingWork.run { try MotoServer(environment: environment, readyTimeout: readyTimeout) }
    }
}
