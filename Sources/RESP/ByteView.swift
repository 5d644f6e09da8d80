#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A borrowed run of bytes inside a buffer someone else owns: a command argument inside a
/// connection's input buffer, a key inside a record.
///
/// Safety: a `ByteView` does not keep its memory alive. It is valid only while its owner
/// leaves the bytes in place — for command arguments, for the duration of one command's
/// execution on the shard thread. Never store one beyond that.
public struct ByteView: @unchecked Sendable {
    // @unchecked: a raw pointer is not Sendable; views never cross threads (see above).
    public let base: UnsafeRawPointer
    public let count: Int

    @inlinable
    public init(base: UnsafeRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    @inlinable
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    @inlinable
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "ByteView index \(index) out of 0..<\(count)")
        return base.load(fromByteOffset: index, as: UInt8.self)
    }

    /// Byte-wise equality with another view.
    @inlinable
    public func equals(_ other: ByteView) -> Bool {
        count == other.count && (count == 0 || memcmp(base, other.base, count) == 0)
    }

    /// ASCII case-insensitive comparison with a lowercase literal such as `"ex"`.
    @inlinable
    public func equalsCaseInsensitive(_ lowercase: StaticString) -> Bool {
        guard lowercase.utf8CodeUnitCount == count else { return false }
        let literal = lowercase.utf8Start
        for i in 0..<count {
            var byte = base.load(fromByteOffset: i, as: UInt8.self)
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != literal[i] { return false }
        }
        return true
    }

    /// A copy of the bytes, for the rare paths that must keep them (client names, config).
    public var array: [UInt8] { Array(bytes) }

    /// The bytes as a String (lossy UTF-8), for messages and administration, never hot paths.
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}


extension Array where Element == UInt8 {
    /// Runs `body` with a view of these bytes (an empty array gets a valid dangling base).
    @inlinable
    public func withByteView<R>(_ body: (ByteView) throws -> R) rethrows -> R {
        try withUnsafeBytes { raw in
            try body(ByteView(base: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: raw.count))
        }
    }
}
