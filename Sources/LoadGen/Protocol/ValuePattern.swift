#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The bytes every value is cut from: a value of size n is the first n bytes of this pattern,
/// so the verification phase knows what each key must hold without remembering anything.
///
/// Memory: allocated once per run with `malloc`, never written after `init`, freed in
/// `deinit`; worker threads only read it, which is why sharing it is safe.
final class ValuePattern: @unchecked Sendable {
    let bytes: UnsafeRawPointer
    let count: Int
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    init(count: Int) {
        let memory = malloc(max(count, 1))!.assumingMemoryBound(to: UInt8.self)
        for index in 0..<count { memory[index] = Self.alphabet[index % Self.alphabet.count] }
        bytes = UnsafeRawPointer(memory)
        self.count = count
    }

    deinit { free(UnsafeMutableRawPointer(mutating: bytes)) }

    /// True when `value` is the first `value.count` bytes of the pattern.
    func matches(_ value: UnsafeRawBufferPointer) -> Bool {
        value.count <= count && (value.count == 0 || memcmp(value.baseAddress!, bytes, value.count) == 0)
    }
}
