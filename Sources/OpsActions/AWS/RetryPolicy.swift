import Foundation

/// Waits between attempts; tests inject one that records instead of sleeping.
public protocol Sleeper: Sendable {
    func sleep(seconds: Double)
}

/// Sleeps the calling thread.
public struct ThreadSleeper: Sleeper {
    public init() {}
    public func sleep(seconds: Double) {
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
    }
}

/// When to try an AWS call again and how long to wait: bounded attempts, exponential backoff with
/// full jitter (`random(0, min(maxDelay, baseDelay * 2^n))`), as the AWS SDKs' standard mode.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int = 3
    public var baseDelay: Double = 0.2
    public var maxDelay: Double = 5
    public var sleeper: any Sleeper
    /// A number in [0, 1); injectable so tests are deterministic.
    public var random: @Sendable () -> Double

    public init(maxAttempts: Int = 3, baseDelay: Double = 0.2, maxDelay: Double = 5, sleeper: any Sleeper = ThreadSleeper(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleeper = sleeper
        self.random = random
    }

    /// AWS error codes that mean "slow down" (from the SDKs' standard retry mode).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
    /// AWS error codes for a transient fault on AWS's side.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
        "ServerException",
    ]

    /// Whether a service reply with `status` and `code` is worth another attempt.
    public static func isRetryable(status: Int, code: String?) -> Bool {
        if let code, throttlingCodes.contains(code) || transientCodes.contains(code) { return true }
        return status >= 500 || status == 429
    }

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 1).
    public func delay(afterAttempt attempt: Int) -> Double {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return ceiling * random()
    }
}
