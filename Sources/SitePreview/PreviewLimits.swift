/// How much the preview server gives any one client: it is local, but a stuck or hostile client
/// (an idle browser socket, a page probing ports) must not hold up the others.
public struct PreviewLimits: Sendable {
    /// Connections open at once; a connection beyond this is closed as soon as it is accepted.
    public var maxConnections: Int
    /// Seconds from accepting a connection to the end of its request head; then it is closed unanswered.
    public var headTimeout: Double
    /// The largest request head (request line and headers) read; a larger one gets 431.
    public var maxHeadBytes: Int
    /// Seconds a client has to take in its whole response.
    public var writeTimeout: Double
    /// Seconds to wait, after answering, for the client to close its side (so its unread request bytes
    /// do not turn the close into a reset that loses the answer).
    public var lingerTimeout: Double

    public init(maxConnections: Int = 256, headTimeout: Double = 5, maxHeadBytes: Int = 16_384,
                writeTimeout: Double = 30, lingerTimeout: Double = 2) {
        self.maxConnections = maxConnections
        self.headTimeout = headTimeout
        self.maxHeadBytes = maxHeadBytes
        self.writeTimeout = writeTimeout
        self.lingerTimeout = lingerTimeout
    }

    /// What `runbook serve` uses.
    public static let standard = PreviewLimits()
}
