@testable import Engine
import RESP
import Testing

/// Bit layouts and sizes the memory budget rests on, the hash function's basic quality, and
/// the per-key memory budget (≤ 100 bytes for "key:<n>" with 64-byte values).
@Suite struct KeyspaceLayoutTests {
    @Test func slotAndHandleSizes() {
        #expect(MemoryLayout<IndexSlot>.size == 8)
        #expect(MemoryLayout<IndexSlot>.stride == 8)
        #expect(MemoryLayout<RecordHandle>.size == 8)
        #expect(MemoryLayout<UnsafeRecord>.size == 8)
    }

    @Test func slotPacking() {
        let address = UnsafeMutableRawPointer(bitPattern: 0x7fff_ffff_fff8)!
        let slot = IndexSlot(record: address, displacement: 5, tag: 0xABC)
        #expect(slot.record == address)
        #expect(slot.storedDisplacement == 5)
        #expect(slot.tag == 0xABC)
        #expect(slot.with(displacement: 300).storedDisplacement == IndexSlot.saturatedDisplacement)
        #expect(slot.with(displacement: 300).record == address)
        let moved = UnsafeMutableRawPointer(bitPattern: 0x1000)!
        #expect(slot.with(record: moved).record == moved)
        #expect(slot.with(record: moved).tag == 0xABC)
        #expect(!slot.isEmpty && IndexSlot.empty.isEmpty)
    }

    @Test func recordSizes() {
        // "key:123456" (10 bytes) + 64-byte value: 4 header + 1 + 1 + 10 + 64 = 80.
        #expect(UnsafeRecord.blockSize(keyLength: 10, shape: .embedded(length: 64), hasExpiry: false) == 80)
        // The same value written as raw (over 44 bytes) without room to grow: also 80.
        #expect(UnsafeRecord.blockSize(keyLength: 10, shape: .raw(length: 64, capacity: 64), hasExpiry: false) == 80)
        // With a TTL: + 4 (expiry set index) + 8 (expireAt) = 92 → 96.
        #expect(UnsafeRecord.blockSize(keyLength: 10, shape: .embedded(length: 64), hasExpiry: true) == 96)
        // "counter" holding an int: 4 + 1 + 8 + 7 = 20 → 24.
        #expect(UnsafeRecord.blockSize(keyLength: 7, shape: .integer(unshared: false), hasExpiry: false) == 24)
        // Raw 200 bytes in room for 400: 4 + 1 + 2 + 2 + 3 + 400 = 412 → 416.
        #expect(UnsafeRecord.blockSize(keyLength: 3, shape: .raw(length: 200, capacity: 400), hasExpiry: false) == 416)
        #expect(UnsafeRecord.blockSize(keyLength: 0, shape: .embedded(length: 0), hasExpiry: false) == 8)
    }

    @Test func recordRoundTrip() {
        let block = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 8)
        defer { block.deallocate() }
        KeyspaceTestSupport.withView("a key") { key in
            let record = UnsafeRecord.initialize(
                block, key: key, shape: .raw(length: 3, capacity: 200), type: .string,
                expireAt: 123_456_789, expiryIndex: 42, clock: 0xFF_FFFF)
            #expect(record.key.string == "a key")
            #expect(record.hasExpiry && record.expireAt == 123_456_789 && record.expiryIndex == 42)
            #expect(record.clock == 0xFF_FFFF)
            #expect(record.encoding == .raw && record.type == .string)
            #expect(record.fields.capacity == 200 && record.fields.valueLength == 3)
            record.setRawLength(150)
            #expect(record.fields.valueLength == 150 && record.key.string == "a key")
            record.clock = 7
            #expect(record.clock == 7 && record.hasExpiry && record.encoding == .raw)
        }
    }

    @Test func varInts() {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 8)
        defer { buffer.deallocate() }
        for value in [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 28, 1 << 40] {
            let width = VarInt.width(value)
            VarInt.write(value, width: width, at: buffer)
            #expect(VarInt.read(buffer) == (value, width))
            VarInt.write(value, width: width + 2, at: buffer)
            #expect(VarInt.read(buffer) == (value, width + 2))
        }
    }

    @Test func hashSpreadsShortKeys() {
        let hasher = KeyHasher(seed: 42)
        var homes = [Int](repeating: 0, count: 64)
        var tags = [Int](repeating: 0, count: 64)
        var seen = Set<UInt64>()
        for i in 0..<64_000 {
            let hash = KeyspaceTestSupport.withView("key:\(i)") { hasher.hash($0) }
            seen.insert(hash)
            homes[Int(hash >> 58)] += 1
            tags[Int(hash & 63)] += 1
        }
        #expect(seen.count == 64_000)
        // Each bucket expects 1000; uniform spread stays well within ±20%.
        #expect(homes.allSatisfy { (800...1200).contains($0) })
        #expect(tags.allSatisfy { (800...1200).contains($0) })
        let other = KeyHasher(seed: 43)
        #expect(KeyspaceTestSupport.withView("key:1") { hasher.hash($0) != other.hash($0) })
        // All lengths through the long-key paths agree with themselves and differ by length.
        let long = [UInt8](repeating: 7, count: 200)
        var hashes = Set<UInt64>()
        for length in 0...200 { hashes.insert(KeyspaceTestSupport.withView(Array(long[0..<length])) { hasher.hash($0) }) }
        #expect(hashes.count == 201)
    }

    @Test func slabReusesFreedBlocks() {
        var slab = UnsafeSlabAllocator()
        defer { slab.destroy() }
        let a = slab.allocate(80)
        let b = slab.allocate(80)
        #expect(b - a == 80)
        slab.deallocate(a, size: 80)
        #expect(slab.allocate(80) == a)
        let large = slab.allocate(8192)
        #expect(slab.largeBlocks == 1 && slab.liveBytes == 160 + 8192)
        slab.deallocate(large, size: 8192)
        // Filling past a chunk keeps every block distinct and within budget.
        var blocks = Set<UnsafeMutableRawPointer>()
        for _ in 0..<10_000 { blocks.insert(slab.allocate(4000)) }
        #expect(blocks.count == 10_000)
        #expect(slab.reservedBytes <= 10_000 * 4000 * 102 / 100 + UnsafeSlabAllocator.chunkSize)
    }

    /// Records over 4 KiB come from malloc and are counted there alone: INFO memory adds only
    /// the slab's own chunks to malloc's figure, so a large value must not show up in both.
    /// MEMORY USAGE: the record block, its index slot and, with a TTL, its expiry-set entry.
    /// Like Redis's, it neither expires nor touches the key.
    @Test func memoryUsageOfOneKey() {
        let keyspace = Keyspace(seed: 10)
        let usage = { (key: String) in KeyspaceTestSupport.withView(key) { keyspace.memoryUsage(of: $0) } }
        keyspace.set("key:123456", String(repeating: "v", count: 64))
        keyspace.set("key:654321", String(repeating: "v", count: 64), expiry: .at(1_000))
        keyspace.set("counter", integer: 42)
        #expect(usage("key:123456") == 80 + 8)
        #expect(usage("key:654321") == 96 + 8 + 8)
        #expect(usage("counter") == 24 + 8)
        #expect(usage("missing") == nil)
        #expect(keyspace.handleInfo("key:654321", now: 2_000) == nil)  // a read expires it…
        #expect(usage("key:654321") == nil)  // …and then it is gone
        keyspace.checkInvariants()
    }

    @Test func largeRecordsAreCountedOnce() {
        let keyspace = Keyspace(seed: 9)
        let big = String(repeating: "b", count: 100_000)
        for i in 0..<10 { keyspace.set("big:\(i)", big) }
        var usage = keyspace.memoryUsage
        #expect(usage.reservedRecordBytes == 0)
        #expect(usage.largeRecordBytes >= 10 * 100_000 && usage.largeRecordBytes < 10 * 100_100)
        #expect(usage.recordBytes == usage.largeRecordBytes)
        for i in 0..<100 { keyspace.set("small:\(i)", "v") }
        usage = keyspace.memoryUsage
        #expect(usage.reservedRecordBytes > 0 && usage.reservedRecordBytes < UnsafeSlabAllocator.chunkSize)
        #expect(usage.totalBytes == usage.indexBytes + usage.reservedRecordBytes + usage.largeRecordBytes + usage.expirySetBytes)
        for i in 0..<10 { keyspace.del("big:\(i)") }
        usage = keyspace.memoryUsage
        #expect(usage.largeRecordBytes == 0)
        #expect(usage.reservedRecordBytes > 0)
        keyspace.removeAll()
        #expect(keyspace.memoryUsage.reservedRecordBytes == 0)
        keyspace.checkInvariants()
    }

    /// 200,000 keys "key:<n>" with 64-byte values: index + slab (+ expiry set) per key.
    @Test func memoryPerKeyWithinBudget() {
        let keyspace = Keyspace(seed: 8)
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: 64)
        var keyBytes = [UInt8](repeating: 0, count: 32)
        keyBytes.replaceSubrange(0..<4, with: Array("key:".utf8))
        let keys = 200_000
        var worst = 0.0
        value.withUnsafeBytes { valueBuffer in
            keyBytes.withUnsafeMutableBytes { keyBuffer in
                for i in 0..<keys {
                    let length = 4 + RedisInteger.format(Int64(i), into: keyBuffer.baseAddress! + 4)
                    keyspace.setString(
                        ByteView(base: keyBuffer.baseAddress!, count: length),
                        .bytes(ByteView(base: valueBuffer.baseAddress!, count: 64)), expiry: .clear, now: 0)
                    if i >= 100_000 && i % 1000 == 0 {
                        worst = max(worst, Double(keyspace.memoryUsage.totalBytes) / Double(i + 1))
                    }
                }
            }
        }
        let usage = keyspace.memoryUsage
        let perKey = Double(usage.totalBytes) / Double(keys)
        print("memory: \(perKey) bytes/key (records \(Double(usage.recordBytes) / Double(keys)), index \(Double(usage.indexBytes) / Double(keys))), worst mid-resize \(worst)")
        #expect(usage.recordBytes == keys * 80)
        // Between resizes; while one runs the draining table adds up to ~9 bytes a key, less
        // as its migrated prefix is given back.
        keyspace.testsOnlyFinishResize()
        let settled = Double(keyspace.memoryUsage.totalBytes) / Double(keys)
        print("memory after resize: \(settled) bytes/key")
        #expect(settled <= 100)
        #expect(worst <= 106)
    }
}
