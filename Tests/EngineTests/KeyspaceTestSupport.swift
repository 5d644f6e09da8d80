@testable import Engine
import RESP

/// Test helpers for the keyspace suites: byte views of test strings, and a reproducible
/// random source (splitmix64) so failures replay from their seed.
enum KeyspaceTestSupport {
    /// Runs `body` with a view of `bytes` (valid for the duration of the call).
    static func withView<R>(_ bytes: [UInt8], _ body: (ByteView) -> R) -> R {
        var padded = bytes
        padded.append(0)  // never empty, so the base address exists
        return padded.withUnsafeBytes { body(ByteView(base: $0.baseAddress!, count: bytes.count)) }
    }

    static func withView<R>(_ string: String, _ body: (ByteView) -> R) -> R { withView(Array(string.utf8), body) }
}

/// splitmix64: a tiny deterministic generator for randomized tests.
struct TestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

extension Keyspace {
    func set(_ key: String, _ value: String, expiry: ExpiryChange = .clear, now: Int64 = 0, raw: Bool = false) {
        KeyspaceTestSupport.withView(key) { k in
            KeyspaceTestSupport.withView(value) { v in setString(k, .bytes(v), form: raw ? .raw : .natural, expiry: expiry, now: now) }
        }
    }

    func set(_ key: String, integer: Int64, expiry: ExpiryChange = .clear, now: Int64 = 0) {
        KeyspaceTestSupport.withView(key) { k in setString(k, .integer(integer), expiry: expiry, now: now) }
    }

    /// The value as text (integers in decimal), or nil when absent.
    func get(_ key: String, now: Int64 = 0, touch: Bool = true) -> String? {
        KeyspaceTestSupport.withView(key) { k in
            guard let handle = lookup(k, now: now, touch: touch) else { return nil }
            return handle.text
        }
    }

    func handleInfo(_ key: String, now: Int64 = 0) -> (encoding: StringEncoding, expireAt: Int64?)? {
        KeyspaceTestSupport.withView(key) { k in
            lookup(k, now: now, touch: false).map { ($0.encoding, $0.expireAt) }
        }
    }

    @discardableResult
    func del(_ key: String) -> Bool { KeyspaceTestSupport.withView(key) { delete($0) } }

    @discardableResult
    func expire(_ key: String, _ change: ExpiryChange) -> Bool {
        KeyspaceTestSupport.withView(key) { setExpiry($0, change) }
    }

    /// APPEND through `mutateString`.
    func append(_ key: String, _ suffix: String, now: Int64 = 0) {
        let current = get(key, now: now, touch: false).map { Array($0.utf8) } ?? []
        let tail = Array(suffix.utf8)
        KeyspaceTestSupport.withView(key) { k in
            mutateString(k, length: current.count + tail.count, now: now) { buffer in
                for (offset, byte) in tail.enumerated() { buffer[current.count + offset] = byte }
            }
        }
    }

    /// Every live key, as strings.
    func allKeys(now: Int64 = 0) -> Set<String> {
        var keys = Set<String>()
        forEach(now: now) { keys.insert($0.key.string) }
        return keys
    }
}

extension RecordHandle {
    var text: String {
        switch stringValue {
        case .integer(let integer): return String(integer)
        case .bytes(let bytes): return bytes.string
        }
    }
}
