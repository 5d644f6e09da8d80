import RESP

/// Writes requests in RESP straight into a connection's `OutputBuffer`: a SET, a GET or an
/// arbitrary `--command` with its key and value substituted. No allocation once the buffer has
/// grown to a pipeline's worth of requests; key digits are written in place.
struct RequestEncoder {
    let keyPrefix: [UInt8]
    let values: ValuePattern
    /// Bytes a SET or GET needs besides its key prefix and value: the fixed words (13), two
    /// bulk headers of at most 23 bytes, at most 20 key digits and two CRLFs (83), rounded up.
    private static let slack = 96

    /// `SET <key> <value>`; returns the bytes written. One reservation, then direct stores:
    /// the request is built in place without a copy call per piece.
    @discardableResult
    @inline(__always)
    func set(key id: Int, valueSize: Int, into output: OutputBuffer) -> Int {
        var writer = UnsafeRequestWriter(output.reserve(Self.slack + keyPrefix.count + valueSize))
        writer.put("*3\r\n$3\r\nSET\r\n")
        writer.key(id, prefix: keyPrefix)
        writer.bulk(values.bytes, count: valueSize)
        output.commit(writer.count)
        return writer.count
    }

    /// `GET <key>`; returns the bytes written.
    @discardableResult
    @inline(__always)
    func get(key id: Int, into output: OutputBuffer) -> Int {
        var writer = UnsafeRequestWriter(output.reserve(Self.slack + keyPrefix.count))
        writer.put("*2\r\n$3\r\nGET\r\n")
        writer.key(id, prefix: keyPrefix)
        output.commit(writer.count)
        return writer.count
    }

    /// An arbitrary command; returns the bytes written.
    @discardableResult
    func command(_ template: CommandTemplate, key id: Int, valueSize: Int, into output: OutputBuffer) -> Int {
        var capacity = 24
        for word in template.words {
            switch word {
            case .literal(let bytes): capacity += bytes.count + 24
            case .key: capacity += keyPrefix.count + 48
            case .data: capacity += valueSize + 24
            }
        }
        var writer = UnsafeRequestWriter(output.reserve(capacity))
        writer.header(UInt8(ascii: "*"), template.words.count)
        for word in template.words {
            switch word {
            case .literal(let bytes):
                bytes.withUnsafeBytes { writer.bulk($0.baseAddress!, count: $0.count) }
            case .key:
                writer.key(id, prefix: keyPrefix)
            case .data:
                writer.bulk(values.bytes, count: valueSize)
            }
        }
        output.commit(writer.count)
        return writer.count
    }
}

/// Writes one request into space already reserved in an `OutputBuffer`. Safety: the caller
/// reserves enough for the whole request (the encoder's size bounds above), writes only through
/// this value while nothing else touches the buffer, and commits `count` bytes afterwards; the
/// pointer is dead after that.
private struct UnsafeRequestWriter {
    private let start: UnsafeMutableRawPointer
    private(set) var count = 0

    init(_ start: UnsafeMutableRawPointer) { self.start = start }

    @inline(__always)
    mutating func put(_ literal: StaticString) {
        (start + count).copyMemory(from: literal.utf8Start, byteCount: literal.utf8CodeUnitCount)
        count &+= literal.utf8CodeUnitCount
    }

    @inline(__always)
    mutating func crlf() {
        (start + count).storeBytes(of: UInt16(0x0A0D).littleEndian, as: UInt16.self)
        count &+= 2
    }

    @inline(__always)
    mutating func header(_ type: UInt8, _ value: Int) {
        (start + count).storeBytes(of: type, as: UInt8.self)
        count &+= 1 &+ RedisInteger.format(Int64(value), into: start + count + 1)
        crlf()
    }

    /// `$<len>\r\n<prefix><id>\r\n`: the id's digit count gives the length before its digits
    /// are written, straight into place. Key ids are never negative (the options reject it).
    @inline(__always)
    mutating func key(_ id: Int, prefix: [UInt8]) {
        let magnitude = UInt64(truncatingIfNeeded: id)
        let digits = RedisInteger.digitCount(magnitude)
        header(UInt8(ascii: "$"), prefix.count + digits)
        prefix.withUnsafeBytes { (start + count).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        count &+= prefix.count
        RedisInteger.writeDigits(magnitude, count: digits, into: start + count)
        count &+= digits
        crlf()
    }

    @inline(__always)
    mutating func bulk(_ bytes: UnsafeRawPointer, count length: Int) {
        header(UInt8(ascii: "$"), length)
        (start + count).copyMemory(from: bytes, byteCount: length)
        count &+= length
        crlf()
    }
}
