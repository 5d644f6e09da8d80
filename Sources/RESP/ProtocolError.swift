/// A request that breaks the wire protocol. Redis answers each with one exact error line and then
/// closes the connection; `message` is that line without the leading "-" and trailing CRLF.
public enum ProtocolError: Error, Equatable, Sendable {
    case invalidMultibulkLength
    case invalidBulkLength
    case unexpectedByte(UInt8)
    case tooBigMultibulkCount
    case tooBigBulkCount
    case tooBigInlineRequest
    case unbalancedQuotes
    /// Over the limits Redis puts on a client that has not authenticated yet.
    case unauthenticatedMultibulkLength
    case unauthenticatedBulkLength

    /// The error line's bytes. Raw bytes, not a String: Redis echoes the offending byte as is.
    public var message: [UInt8] {
        switch self {
        case .invalidMultibulkLength: return Array("ERR Protocol error: invalid multibulk length".utf8)
        case .invalidBulkLength: return Array("ERR Protocol error: invalid bulk length".utf8)
        case .unexpectedByte(let byte):
            // Redis replaces CR and LF in error replies with spaces.
            let shown = (byte == 13 || byte == 10) ? UInt8(ascii: " ") : byte
            return Array("ERR Protocol error: expected '$', got '".utf8) + [shown, UInt8(ascii: "'")]
        case .tooBigMultibulkCount: return Array("ERR Protocol error: too big mbulk count string".utf8)
        case .tooBigBulkCount: return Array("ERR Protocol error: too big bulk count string".utf8)
        case .tooBigInlineRequest: return Array("ERR Protocol error: too big inline request".utf8)
        case .unbalancedQuotes: return Array("ERR Protocol error: unbalanced quotes in request".utf8)
        case .unauthenticatedMultibulkLength: return Array("ERR Protocol error: unauthenticated multibulk length".utf8)
        case .unauthenticatedBulkLength: return Array("ERR Protocol error: unauthenticated bulk length".utf8)
        }
    }
}
