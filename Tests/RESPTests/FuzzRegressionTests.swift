import RESP
import Testing

/// Inputs the libFuzzer target (`Fuzz/RESPParser`, `scripts/fuzz-resp.sh`) found to crash the
/// parser or to disagree with Redis, kept so each fix stays fixed.
@Suite struct FuzzRegressionTests {
    /// Input `\x03\x00*1\r\n$9223372036854775807\r\n`: with `proto-max-bulk-len` at its largest
    /// (Redis accepts up to LONG_MAX) the "payload + CRLF present?" check overflowed and trapped.
    @Test func hugeBulkLengthWithLargestLimitWaitsInsteadOfTrapping() {
        var parser = RequestParser(maxBulkLength: .max)
        #expect(ParserHarness.feed(&parser, bytes("*1\r\n$9223372036854775807\r\n")[...]) == .incomplete)
        #expect(parser.bytesNeededHint == .max)
        #expect(ParserHarness.feed(&parser, bytes("*1\r\n$9223372036854775807\r\nabc")[...]) == .incomplete)
        var smaller = RequestParser(maxBulkLength: .max)
        #expect(ParserHarness.feed(&smaller, bytes("*1\r\n$9223372036854775805\r\n")[...]) == .incomplete)
        #expect(smaller.bytesNeededHint == .max)
    }
}
