import RESP

/// Memory the keyspace holds: INFO memory, and the per-key budget its tests enforce.
public struct KeyspaceMemoryUsage: Sendable, Equatable {
    /// Both index tables (two while resizing).
    public var indexBytes: Int
    /// Record blocks in use.
    public var recordBytes: Int
    /// Record memory the slab allocator mapped from the kernel itself (chunk bytes touched so
    /// far), which malloc's statistics do not see.
    public var reservedRecordBytes: Int
    /// Records over 4 KiB, which come from malloc (so malloc's statistics include them).
    public var largeRecordBytes: Int
    /// The dense array of records with a TTL.
    public var expirySetBytes: Int

    /// Everything the keyspace took from the system.
    public var totalBytes: Int { indexBytes + reservedRecordBytes + largeRecordBytes + expirySetBytes }
}

extension Keyspace {
    public var memoryUsage: KeyspaceMemoryUsage {
        KeyspaceMemoryUsage(
            indexBytes: index.byteCount, recordBytes: slab.liveBytes,
            reservedRecordBytes: slab.reservedBytes, largeRecordBytes: slab.largeBytes,
            expirySetBytes: expirySet.byteCount)
    }

    /// MEMORY USAGE: what `key` costs — its record block, its index slot and, with a TTL, its
    /// place in the expiry set — or nil when absent. As in Redis, the lookup neither touches
    /// the key nor expires it.
    public func memoryUsage(of key: ByteView) -> Int? {
        guard let location = index.find(key, hash: index.hasher.hash(key)) else { return nil }
        let record = index.record(at: location)
        let expiryEntry = record.hasExpiry ? MemoryLayout<UnsafeMutableRawPointer>.stride : 0
        return record.blockSize + MemoryLayout<IndexSlot>.stride + expiryEntry
    }

    /// Traps when the index, the records, the expiry set or the allocator's accounting
    /// disagree. Tests call it after every mutation; release builds skip the (O(n)) walk.
    package func checkInvariants() {
        #if DEBUG
        var records = 0
        var withExpiry = 0
        var bytes = 0
        var largeBlocks = 0
        index.checkInvariants { record in
            records += 1
            let size = record.blockSize
            bytes += size
            if size > UnsafeSlabAllocator.largestClassSize { largeBlocks += 1 }
            if record.hasExpiry {
                withExpiry += 1
                let position = Int(record.expiryIndex)
                precondition(
                    position < expirySet.count && expirySet[position].base == record.base,
                    "record's expiry index \(position) does not point back to it")
            }
            if record.encoding == .raw {
                precondition(record.fields.valueLength <= record.fields.capacity, "raw value over capacity")
            }
        }
        precondition(records == index.count, "index count \(index.count), records \(records)")
        precondition(withExpiry == expirySet.count, "expiry set has \(expirySet.count), records with TTL \(withExpiry)")
        precondition(bytes == slab.liveBytes, "allocator live bytes \(slab.liveBytes), records \(bytes)")
        precondition(largeBlocks == slab.largeBlocks, "large blocks \(slab.largeBlocks), records \(largeBlocks)")
        #endif
    }

    /// Tests: finishes a running index resize.
    package func testsOnlyFinishResize() {
        while index.isResizing { index.migrate(maximumEntries: .max, maximumSlots: .max) }
    }

    /// Tests: whether the index is between two tables.
    package var testsOnlyIsResizing: Bool { index.isResizing }

    /// Tests: the capacity of the table inserts go to.
    package var testsOnlyCapacity: Int { index.main.capacity }
}
