/// libFuzzer entry point for the request parser (built by `scripts/fuzz-resp.sh`).
///
/// Input layout: byte 0 picks the `proto-max-bulk-len` under test (default, tiny, `Int32.max`
/// or `Int.max`), byte 1 is the tiny limit, the rest is the byte stream a client sends. The
/// stream is parsed whole, in chunk sizes drawn from a generator seeded with a hash of the input,
/// and (when short) one byte at a time; all three must yield the same events as the Redis
/// reference model. The first bytes of the stream also exercise `RedisInteger`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let maxBulkLength: Int
    switch input[0] & 3 {
    case 0: maxBulkLength = 512 * 1024 * 1024
    case 1: maxBulkLength = Int(input[1] & 15)
    case 2: maxBulkLength = Int(Int32.max)
    default: maxBulkLength = Int.max
    }
    let stream = Array(input[2...])
    checkIntegers(stream)

    let driver = ParserDriver(stream: stream, maxBulkLength: maxBulkLength)
    let expected = ReferenceModel(bytes: stream, maxBulkLength: maxBulkLength).events()
    let whole = driver.events { stream.count }
    check(whole == expected, "whole: \(whole) but Redis gives \(expected)")
    // Past the inline limit Redis's own answer depends on how reads split the stream.
    guard stream.count <= RequestParser.inlineMaxSize else { return 0 }
    var random = SplitMix64(seed: fnv1a(input))
    let chunked = driver.events { random.chunkSize() }
    check(chunked == expected, "chunked: \(chunked) but Redis gives \(expected)")
    if stream.count <= 256 {
        let byteByByte = driver.events { 1 }
        check(byteByByte == expected, "byte by byte: \(byteByByte) but Redis gives \(expected)")
    }
    return 0
}

/// `RedisInteger` against the reference `string2ll`, and `format`/`parse` round trips.
func checkIntegers(_ stream: [UInt8]) {
    for length in 0...min(22, stream.count) {
        let text = Array(stream[0..<length])
        let parsed = text.withUnsafeBytes { RedisInteger.parse($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: length) }
        check(parsed == ReferenceModel.string2ll(text[...]), "parse \(text) gave \(String(describing: parsed))")
        if let value = parsed { check(format(value) == text, "format(\(value)) is not its canonical text") }
    }
    if stream.count >= 8 {
        let value = stream.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
        let text = format(value)
        check(Array(String(value).utf8) == text, "format(\(value)) gave \(text)")
        check(text.withUnsafeBytes { RedisInteger.parse($0.baseAddress!, count: $0.count) } == value, "round trip \(value)")
    }
}

func format(_ value: Int64) -> [UInt8] {
    var scratch = [UInt8](repeating: 0, count: 24)
    let length = scratch.withUnsafeMutableBytes { RedisInteger.format(value, into: $0.baseAddress!) }
    return Array(scratch[0..<length])
}

/// FNV-1a, to seed chunk sizes from the input so a crash replays exactly.
func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}

/// A tiny deterministic generator of chunk sizes: single bytes, a few bytes, or larger reads.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func chunkSize() -> Int {
        let r = next()
        switch r & 3 {
        case 0: return 1
        case 1: return 1 + Int((r >> 8) % 8)
        case 2: return 1 + Int((r >> 8) % 64)
        default: return 1 + Int((r >> 8) % 1024)
        }
    }
}
