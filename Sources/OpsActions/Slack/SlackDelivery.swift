/// Whether a notice went out; a failure is a warning for the caller to print, never a failed run.
public enum SlackDelivery: Sendable, Equatable {
    case delivered
    case failed(String)
}
