import RESP
import Testing

/// The output buffer's index discipline (`0 ≤ readerIndex ≤ writerIndex ≤ capacity`), growth by
/// doubling, rewinding and shrinking once drained, compaction and truncation.
@Suite struct OutputBufferTests {
    static func checkInvariants(_ buffer: OutputBuffer) {
        #expect(buffer.readerIndex >= 0)
        #expect(buffer.readerIndex <= buffer.writerIndex)
        #expect(buffer.writerIndex <= buffer.capacity)
        #expect(buffer.readableBytes == buffer.writerIndex - buffer.readerIndex)
        #expect(buffer.isEmpty == (buffer.readableBytes == 0))
    }

    @Test func growsByDoublingAndKeepsContent() {
        let buffer = OutputBuffer(capacity: 4)
        #expect(buffer.capacity == 4 && buffer.isEmpty)
        buffer.append("abcd")
        #expect(buffer.capacity == 4)
        buffer.append(byte: UInt8(ascii: "e"))
        #expect(buffer.capacity == 8)
        buffer.append([UInt8](repeating: UInt8(ascii: "f"), count: 20))
        #expect(buffer.capacity == 32)
        #expect(buffer.readableArray == bytes("abcde") + [UInt8](repeating: UInt8(ascii: "f"), count: 20))
        Self.checkInvariants(buffer)
    }

    @Test func reserveAndCommit() {
        let buffer = OutputBuffer(capacity: 2)
        let destination = buffer.reserve(5)
        #expect(buffer.capacity >= 5)
        for i in 0..<5 { destination.storeBytes(of: UInt8(ascii: "0") + UInt8(i), toByteOffset: i, as: UInt8.self) }
        buffer.commit(5)
        #expect(buffer.readableArray == bytes("01234"))
        Self.checkInvariants(buffer)
    }

    @Test func consumePartlyThenAllRewinds() {
        let buffer = OutputBuffer(capacity: 16)
        buffer.append("hello world")
        buffer.consume(6)
        #expect(buffer.readerIndex == 6)
        #expect(buffer.readableArray == bytes("world"))
        Self.checkInvariants(buffer)
        buffer.consume(5)
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 0 && buffer.isEmpty)
        buffer.consume(0)
        #expect(buffer.isEmpty)
    }

    @Test func drainedBufferShrinksBackOnlyWhenFarAboveItsInitialCapacity() {
        let buffer = OutputBuffer(capacity: 16)
        buffer.append([UInt8](repeating: 1, count: 64))  // 64 = 4 × 16: kept
        #expect(buffer.capacity == 64)
        buffer.consume(64)
        #expect(buffer.capacity == 64)
        buffer.append([UInt8](repeating: 1, count: 65))  // 128 > 4 × 16: shrinks when drained
        #expect(buffer.capacity == 128)
        buffer.consume(60)
        #expect(buffer.capacity == 128)
        buffer.consume(5)
        #expect(buffer.capacity == 16 && buffer.isEmpty)
        buffer.append("again")
        #expect(buffer.readableArray == bytes("again"))
        Self.checkInvariants(buffer)
    }

    @Test func compactMovesUnsentBytesToTheFront() {
        let buffer = OutputBuffer(capacity: 16)
        buffer.append("0123456789")
        buffer.compact()
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 10)
        buffer.consume(7)
        buffer.compact()
        #expect(buffer.readerIndex == 0 && buffer.writerIndex == 3)
        #expect(buffer.readableArray == bytes("789"))
        buffer.append("abc")
        #expect(buffer.readableArray == bytes("789abc"))
        Self.checkInvariants(buffer)
    }

    @Test func truncateTakesBackAPartialReply() {
        let buffer = OutputBuffer(capacity: 16)
        buffer.append("+OK\r\n")
        let mark = buffer.writerIndex
        buffer.append("*3\r\n$1\r\na\r\n")
        buffer.truncate(to: mark)
        #expect(buffer.readableArray == bytes("+OK\r\n"))
        buffer.append(":1\r\n")
        #expect(buffer.readableArray == bytes("+OK\r\n:1\r\n"))
        Self.checkInvariants(buffer)
    }

    @Test func manyAppendsAndConsumesKeepTheStream() {
        let buffer = OutputBuffer(capacity: 8)
        var sent: [UInt8] = []
        var written: [UInt8] = []
        for i in 0..<2000 {
            let piece = bytes(String(i) + ",")
            buffer.append(piece)
            written += piece
            if i % 3 == 0 {
                let n = min(buffer.readableBytes, i % 11)
                sent += Array(buffer.readableRegion.prefix(n))
                buffer.consume(n)
            }
            if i % 17 == 0 { buffer.compact() }
            Self.checkInvariants(buffer)
        }
        sent += buffer.readableArray
        #expect(sent == written)
    }
}

/// A zero capacity used to make the first append spin forever (doubling 0); it is refused.
@Suite struct OutputBufferCapacityTests {
    @Test func zeroCapacityIsRefused() async {
        await #expect(processExitsWith: .failure) {
            _ = OutputBuffer(capacity: 0)
        }
    }
}
