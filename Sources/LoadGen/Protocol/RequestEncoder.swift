import RESP

/// Writes requests in RESP straight into a connection's `OutputBuffer`: a SET, a GET or an
/// arbitrary `--command` with its key and value substituted. No allocation once the buffer has
/// grown to a pipeline's worth of requests; key digits are formatted on the stack.
struct RequestEncoder {
    let keyPrefix: [UInt8]
    let values: ValuePattern

    /// Bytes of the key for `id`, formatted into `scratch` (≥ 20 bytes) after the prefix.
    @inline(__always)
    private func keyLength(_ id: Int, digits scratch: UnsafeMutableRawPointer) -> Int {
        RedisInteger.format(Int64(id), into: scratch)
    }

    /// `SET <key> <value>`; returns the bytes written.
    @discardableResult
    func set(key id: Int, valueSize: Int, into output: OutputBuffer) -> Int {
        let start = output.writerIndex
        output.append("*3\r\n$3\r\nSET\r\n")
        appendKey(id, into: output)
        appendBulk(values.bytes, count: valueSize, into: output)
        return output.writerIndex - start
    }

    /// `GET <key>`; returns the bytes written.
    @discardableResult
    func get(key id: Int, into output: OutputBuffer) -> Int {
        let start = output.writerIndex
        output.append("*2\r\n$3\r\nGET\r\n")
        appendKey(id, into: output)
        return output.writerIndex - start
    }

    /// An arbitrary command; returns the bytes written.
    @discardableResult
    func command(_ template: CommandTemplate, key id: Int, valueSize: Int, into output: OutputBuffer) -> Int {
        let start = output.writerIndex
        appendHeader(UInt8(ascii: "*"), template.words.count, into: output)
        for word in template.words {
            switch word {
            case .literal(let bytes):
                bytes.withUnsafeBytes { appendBulk($0.baseAddress!, count: $0.count, into: output) }
            case .key:
                appendKey(id, into: output)
            case .data:
                appendBulk(values.bytes, count: valueSize, into: output)
            }
        }
        return output.writerIndex - start
    }

    @inline(__always)
    private func appendKey(_ id: Int, into output: OutputBuffer) {
        withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { scratch in
            let digits = keyLength(id, digits: scratch.baseAddress!)
            appendHeader(UInt8(ascii: "$"), keyPrefix.count + digits, into: output)
            keyPrefix.withUnsafeBytes { output.append($0.baseAddress!, count: $0.count) }
            output.append(scratch.baseAddress!, count: digits)
            output.append("\r\n")
        }
    }

    @inline(__always)
    private func appendBulk(_ bytes: UnsafeRawPointer, count: Int, into output: OutputBuffer) {
        appendHeader(UInt8(ascii: "$"), count, into: output)
        output.append(bytes, count: count)
        output.append("\r\n")
    }

    @inline(__always)
    private func appendHeader(_ type: UInt8, _ value: Int, into output: OutputBuffer) {
        let destination = output.reserve(24)
        destination.storeBytes(of: type, as: UInt8.self)
        let digits = RedisInteger.format(Int64(value), into: destination + 1)
        (destination + 1 + digits).storeBytes(of: UInt16(0x0A0D).littleEndian, as: UInt16.self)
        output.commit(digits + 3)
    }
}
