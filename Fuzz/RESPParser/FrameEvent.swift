/// One thing a connection's request stream yields, in a form both the real parser and the
/// reference model can produce and the harness can compare: the decoded argument bytes rather
/// than spans, because the two read different buffers.
enum FrameEvent: Equatable {
    case command(consumed: Int, arguments: [[UInt8]])
    case empty(consumed: Int)
    case error(ProtocolError)
    /// The stream ended inside a frame.
    case incomplete
}
