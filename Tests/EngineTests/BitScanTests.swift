@testable import Engine
import RESP
import Testing

/// The bitmap kernels against bit-by-bit references, over every range of strings long enough
/// to exercise the word loops and their byte-sized edges.
@Suite struct BitScanTests {
    /// Bit `position` of `bytes`, bit 0 being the most significant of byte 0.
    static func bit(_ bytes: [UInt8], _ position: Int) -> Bool {
        bytes[position >> 3] & (0x80 >> UInt8(position & 7)) != 0
    }

    /// Strings of several lengths and densities, the same on every run.
    static var samples: [[UInt8]] {
        var generator = TestRandom(seed: 7)
        var samples: [[UInt8]] = []
        for length in [1, 2, 7, 8, 9, 17, 25] {
            samples.append([UInt8](repeating: 0, count: length))
            samples.append([UInt8](repeating: 0xFF, count: length))
            samples.append((0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
            // Mostly one value with a single odd bit: the word skips must stop on it.
            var sparse = [UInt8](repeating: 0, count: length)
            sparse[Int(generator.next() % UInt64(length))] = 0x10
            samples.append(sparse)
            samples.append(sparse.map { ~$0 })
        }
        return samples
    }

    @Test func popcountMatchesCountingBitByBit() {
        var mismatches: [String] = []
        for bytes in Self.samples {
            bytes.withByteView { view in
                for first in 0..<bytes.count * 8 {
                    var expected = 0
                    for last in first..<bytes.count * 8 {
                        if Self.bit(bytes, last) { expected += 1 }
                        if BitScan.popcount(view, from: first, through: last) != expected {
                            mismatches.append("\(bytes) \(first)...\(last)")
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func firstBitMatchesSearchingBitByBit() {
        var mismatches: [String] = []
        for bytes in Self.samples {
            bytes.withByteView { view in
                for first in 0..<bytes.count * 8 {
                    for bit in [false, true] {
                        var expected: Int?
                        for last in first..<bytes.count * 8 {
                            if expected == nil && Self.bit(bytes, last) == bit { expected = last }
                            if BitScan.firstBit(bit, in: view, from: first, through: last) != expected {
                                mismatches.append("\(bytes) \(bit) \(first)...\(last)")
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func foldsZeroFillTheShorterString() {
        var generator = TestRandom(seed: 11)
        for (leftLength, rightLength) in [(0, 3), (3, 0), (5, 21), (21, 5), (16, 16), (9, 8)] {
            let left = (0..<leftLength).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let right = (0..<rightLength).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let length = max(leftLength, rightLength)
            let a = left + [UInt8](repeating: 0, count: length - leftLength)
            let b = right + [UInt8](repeating: 0, count: length - rightLength)
            for (operation, combine) in [
                (BitScan.Operation.and, { (x: UInt8, y: UInt8) in x & y }),
                (.or, { $0 | $1 }), (.xor, { $0 ^ $1 }),
            ] {
                var result = left
                right.withByteView { BitScan.fold(operation, $0, into: &result) }
                #expect(result == zip(a, b).map(combine), "\(operation) \(left) \(right)")
            }
            var complemented = left
            BitScan.complement(&complemented)
            #expect(complemented == left.map { ~$0 })
        }
    }

    @Test func fieldReadsAndWritesMatchBitByBit() {
        var generator = TestRandom(seed: 3)
        let original = (0..<12).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var mismatches: [String] = []
        for bits in 1...64 {
            for offset in 0...(original.count * 8 - bits) {
                // Read: the field's bits, most significant first.
                var expected: UInt64 = 0
                for position in offset..<offset + bits { expected = expected << 1 | (Self.bit(original, position) ? 1 : 0) }
                let read = original.withUnsafeBytes { BitField.read($0, offset: Int64(offset), bits: bits) }
                if read != expected { mismatches.append("read \(bits) bits at \(offset)") }
                // Write: only the field's bits change, to the low bits of the value.
                let value = generator.next()
                var written = original
                written.withUnsafeMutableBytes { BitField.write($0, offset: Int64(offset), bits: bits, value: value) }
                var want = original
                for position in offset..<offset + bits {
                    let mask: UInt8 = 0x80 >> UInt8(position & 7)
                    let one = (value >> UInt64(offset + bits - 1 - position)) & 1 == 1
                    want[position >> 3] = one ? want[position >> 3] | mask : want[position >> 3] & ~mask
                }
                if written != want { mismatches.append("write \(bits) bits at \(offset)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // Past the end reads as zeros.
        #expect([UInt8]([0xFF]).withUnsafeBytes { BitField.read($0, offset: 4, bits: 8) } == 0xF0)
        #expect([UInt8]().withUnsafeBytes { BitField.read($0, offset: 100, bits: 64) } == 0)
    }
}
