import RESP

/// The word-at-a-time kernels under the bitmap commands: counting set bits (BITCOUNT), finding
/// the first set or clear bit (BITPOS) and folding one string into another (BITOP).
///
/// Why a type of its own: the commands decide ranges and replies; these loops decide speed and
/// are easy to get subtly wrong at byte and word edges, so they live apart, each tested against
/// a bit-by-bit reference. Bits are numbered as Redis numbers them: bit 0 is the most
/// significant bit of byte 0, so a string reads left to right as one long big-endian number.
///
/// Safety: every function reads (or writes) only the bytes its arguments name — a view's
/// `count` bytes, or the bit range `first...last`, which callers keep inside the view — and
/// loads words unaligned, so any byte address is fine.
enum BitScan {
    /// The number of set bits from bit `first` through bit `last` of `bytes`
    /// (`0 <= first <= last < 8 * bytes.count`).
    static func popcount(_ bytes: ByteView, from first: Int, through last: Int) -> Int {
        assert(first >= 0 && first <= last && last < bytes.count * 8, "bits \(first)...\(last) of \(bytes.count) bytes")
        let firstByte = first >> 3
        let lastByte = last >> 3
        var total = popcount(bytes.base + firstByte, count: lastByte - firstByte + 1)
        // Take back the bits of the edge bytes that lie outside the range.
        let before = UInt8(truncatingIfNeeded: 0xFF00 >> (first & 7))
        let after = UInt8(0xFF) >> ((last & 7) + 1)
        total -= (bytes[firstByte] & before).nonzeroBitCount
        total -= (bytes[lastByte] & after).nonzeroBitCount
        return total
    }

    /// The number of set bits in `count` bytes at `base`, eight bytes at a time.
    static func popcount(_ base: UnsafeRawPointer, count: Int) -> Int {
        var total = 0
        var index = 0
        while count - index >= 32 {
            total &+= base.loadUnaligned(fromByteOffset: index, as: UInt64.self).nonzeroBitCount
            total &+= base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self).nonzeroBitCount
            total &+= base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self).nonzeroBitCount
            total &+= base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self).nonzeroBitCount
            index += 32
        }
        while count - index >= 8 {
            total &+= base.loadUnaligned(fromByteOffset: index, as: UInt64.self).nonzeroBitCount
            index += 8
        }
        while index < count {
            total &+= base.load(fromByteOffset: index, as: UInt8.self).nonzeroBitCount
            index += 1
        }
        return total
    }

    /// The position of the first bit equal to `bit` from bit `first` through bit `last` of
    /// `bytes` (`0 <= first <= last < 8 * bytes.count`), or nil when there is none. Whole
    /// words holding only the other value are skipped eight bytes at a time.
    static func firstBit(_ bit: Bool, in bytes: ByteView, from first: Int, through last: Int) -> Int? {
        assert(first >= 0 && first <= last && last < bytes.count * 8, "bits \(first)...\(last) of \(bytes.count) bytes")
        // Looking for a 0 is looking for a 1 in the complement.
        let flip: UInt8 = bit ? 0 : 0xFF
        let wordFlip: UInt64 = bit ? 0 : ~0
        let firstByte = first >> 3
        let lastByte = last >> 3
        let head = UInt8(0xFF) >> (first & 7)
        let tail = UInt8(truncatingIfNeeded: 0xFF00 >> ((last & 7) + 1))
        if firstByte == lastByte {
            let found = (bytes[firstByte] ^ flip) & head & tail
            return found == 0 ? nil : firstByte * 8 + found.leadingZeroBitCount
        }
        let found = (bytes[firstByte] ^ flip) & head
        if found != 0 { return firstByte * 8 + found.leadingZeroBitCount }
        var index = firstByte + 1
        while lastByte - index >= 8 {
            // Big-endian, so that the first byte is the word's most significant.
            let word = UInt64(bigEndian: bytes.base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ wordFlip
            if word != 0 { return index * 8 + word.leadingZeroBitCount }
            index += 8
        }
        while index < lastByte {
            let byte = bytes[index] ^ flip
            if byte != 0 { return index * 8 + byte.leadingZeroBitCount }
            index += 1
        }
        let last = (bytes[lastByte] ^ flip) & tail
        return last == 0 ? nil : lastByte * 8 + last.leadingZeroBitCount
    }

    /// BITOP's operations on two bitmaps.
    enum Operation {
        case and, or, xor, not
    }

    /// Folds `source` into `result` for BITOP: `result` grows with zero bytes to the longer of
    /// the two, and a source shorter than `result` counts as zero-filled (AND clears the rest;
    /// OR and XOR leave it). Not for `.not`, which has one source and no fold.
    static func fold(_ operation: Operation, _ source: ByteView, into result: inout [UInt8]) {
        if source.count > result.count {
            result.append(contentsOf: repeatElement(0, count: source.count - result.count))
        }
        let shared = source.count
        result.withUnsafeMutableBytes { destination in
            guard let base = destination.baseAddress else { return }
            var index = 0
            while shared - index >= 8 {
                let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let b = source.base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                base.storeBytes(of: combine(operation, a, b), toByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < shared {
                let a = base.load(fromByteOffset: index, as: UInt8.self)
                let b = source.base.load(fromByteOffset: index, as: UInt8.self)
                base.storeBytes(of: combine(operation, a, b), toByteOffset: index, as: UInt8.self)
                index += 1
            }
            if operation == .and && destination.count > shared {
                (base + shared).initializeMemory(as: UInt8.self, repeating: 0, count: destination.count - shared)
            }
        }
    }

    /// One word (or byte) of a fold.
    @inline(__always)
    private static func combine<Word: FixedWidthInteger>(_ operation: Operation, _ a: Word, _ b: Word) -> Word {
        switch operation {
        case .and: return a & b
        case .or: return a | b
        case .xor, .not: return a ^ b
        }
    }

    /// Every byte of `bytes` complemented, in place (BITOP NOT).
    static func complement(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = 0
            while buffer.count - index >= 8 {
                base.storeBytes(of: ~base.loadUnaligned(fromByteOffset: index, as: UInt64.self), toByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < buffer.count {
                base.storeBytes(of: ~base.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
                index += 1
            }
        }
    }
}
