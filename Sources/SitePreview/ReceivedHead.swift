/// What a connection had sent when the server stopped reading it.
enum ReceivedHead {
    /// A whole request head, up to and including its blank line.
    case complete(ArraySlice<UInt8>)
    /// More than `limit` bytes and no end of head within them; `prefix` is what came first.
    case tooLarge(limit: Int, prefix: ArraySlice<UInt8>)
}
