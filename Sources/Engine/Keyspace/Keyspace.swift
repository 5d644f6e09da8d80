#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RESP

/// One database's keys: the only way commands reach stored data.
///
/// ```
///   key ──hash──▶ HashIndex (8-byte slots: record address | displacement | tag)
///                     │
///                     ▼
///   UnsafeRecord block [header | expiry? | lengths | key | value]  ◀── UnsafeSlabAllocator
///                     ▲
///   ExpirySet (dense array of records with a TTL, sampled by active expiry)
/// ```
/// A key costs its record block (e.g. 80 bytes for "key:123456" and a 64-byte value) plus
/// 8 bytes / load (0.2…0.85, normally ≥ 2/3) of index. Every operation first advances a
/// running index resize by a bounded step; no operation ever rehashes the whole index.
///
/// Expiry contract: `lookup` deletes an expired key it finds (lazy expiry) and reports it absent;
/// active expiry (`Keyspace+Expiry`) samples keys with a TTL and deletes the expired ones. As in Redis, a key
/// is expired once `now > expireAt`. Writes (`setString`, `mutateString`) treat an expired key
/// as absent.
///
/// Ownership: the keyspace owns its index, records and allocator and frees them in
/// `removeAll()` and `deinit`. `RecordHandle`s and the `ByteView`s they hand out point into
/// records and are valid until the keyspace's next mutation. Shard thread only.
public final class Keyspace {
    var index: HashIndex
    var slab = UnsafeSlabAllocator()
    var expirySet = ExpirySet()
    var random: KeyspaceRandom
    public private(set) var expiredKeys: Int64 = 0
    /// Redis's `avg_ttl` (INFO keyspace): a running estimate, in milliseconds, of the TTL
    /// left to the keys that have one, from active expiry's samples; 0 when no key has a TTL
    /// (or before the first sample).
    public internal(set) var averageTTL: Int64 = 0
    /// Who WATCHes which keys of this database (`Keyspace+Watch`); stays with the database
    /// index when SWAPDB swaps the data.
    var watches = WatchTable()

    /// CONFIG RESETSTAT: forget the expired-keys counter.
    public func resetStatistics() { expiredKeys = 0 }

    public convenience init() {
        var generator = SystemRandomNumberGenerator()
        self.init(seed: generator.next())
    }

    /// A keyspace whose hashing and sampling follow `seed` (tests use fixed seeds).
    package init(seed: UInt64) {
        index = HashIndex(seed: seed)
        random = KeyspaceRandom(seed: seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    deinit {
        removeAll()
        slab.destroy()
    }

    /// Number of keys (including expired ones not yet collected), as DBSIZE reports.
    public var count: Int { index.count }
    /// Number of keys with a TTL (INFO keyspace `expires=`).
    public var expiresCount: Int { expirySet.count }

    /// First step of prefetching a batch of keys (`HashIndex+Prefetch`): starts loading the
    /// key's index slot and returns the key's hash for `prefetchRecord`.
    @inline(__always)
    public func prefetchSlot(of key: ByteView) -> UInt64 {
        let hash = index.hasher.hash(key)
        index.prefetchSlots(hash: hash)
        return hash
    }

    /// Second step, once every key of the batch had its first: starts loading the record.
    @inline(__always)
    public func prefetchRecord(hash: UInt64) { index.prefetchRecord(hash: hash) }

    /// Finds a live key. An expired key is deleted and reported absent. `touch` updates the
    /// access time (OBJECT IDLETIME); TYPE/OBJECT look without touching.
    public func lookup(_ key: ByteView, now: Int64, touch: Bool = true) -> RecordHandle? {
        index.maintain()
        guard let location = index.find(key, hash: index.hasher.hash(key)) else { return nil }
        let record = index.record(at: location)
        if record.isExpired(now: now) {
            keyChanged(key, deleted: true)
            deleteRecord(record, at: location)
            expiredKeys += 1
            return nil
        }
        if touch { record.clock = UnsafeRecord.clock(now: now) }
        return RecordHandle(record: record)
    }

    /// Finds a key as it is stored, expired or not, leaving its access time alone: DEBUG
    /// OBJECT's look at the record (Redis's `dictFind` on the main dictionary).
    public func peek(_ key: ByteView) -> RecordHandle? {
        guard let location = index.find(key, hash: index.hasher.hash(key)) else { return nil }
        return RecordHandle(record: index.record(at: location))
    }

    /// Stores a string value under `key`, replacing whatever was there, in its natural
    /// encoding unless `form` asks otherwise.
    public func setString(
        _ key: ByteView, _ value: StringValue, form: StoredForm = .natural, expiry: ExpiryChange, now: Int64
    ) {
        index.maintain()
        let hash = index.hasher.hash(key)
        let (location, existing) = findLive(key, hash: hash, now: now)
        let expireAt = resolve(expiry, existing: existing)
        let clock = UnsafeRecord.clock(now: now)
        switch value {
        case .integer(let integer):
            let inPlace = existing.map { !$0.contains(key) } ?? false
            store(key, hash: hash, at: location, existing: existing, shape: .integer(unshared: form == .unsharedInteger),
                  expireAt: expireAt,
                  clock: clock, inPlace: inPlace) { record in record.integer = integer }
        case .bytes(let bytes):
            let shape: RecordShape = form == .raw || bytes.count > StringEncoding.embeddedLimit
                ? .raw(length: bytes.count, capacity: bytes.count) : .embedded(length: bytes.count)
            let inPlace = existing.map { !$0.contains(key) && !$0.contains(bytes) } ?? false
            store(key, hash: hash, at: location, existing: existing, shape: shape, expireAt: expireAt,
                  clock: clock, inPlace: inPlace) { record in
                if bytes.count > 0 {
                    (record.base + record.fields.valueStart).copyMemory(from: bytes.base, byteCount: bytes.count)
                }
            }
        }
        keyChanged(key)
    }

    /// Resizes the string at `key` (created empty if absent) to `length` bytes, keeping its
    /// content up to the shorter length and zero-filling the rest, then lets `body` write into
    /// it. The value becomes `raw`. Used by APPEND and SETRANGE; the TTL is kept.
    ///
    /// A `raw` value that grows gets room to grow again (double its length, or 1 MiB more past
    /// 1 MiB, as Redis's `sdsMakeRoomFor`), so repeated APPENDs are amortised O(1) per byte.
    public func mutateString(
        _ key: ByteView, length: Int, now: Int64, _ body: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        mutateStringReportingChange(key, length: length, now: now) { bytes in
            body(bytes)
            return true
        }
    }

    /// `mutateString` for edits that may change nothing (SETBIT writing the bit already there,
    /// BITFIELD's failed increments): watchers of `key` hear of the edit only when `body`
    /// returns true, as Redis signals a modified key only on a change. The value still becomes
    /// `raw`, as Redis unshares it before looking.
    public func mutateStringReportingChange(
        _ key: ByteView, length: Int, now: Int64, _ body: (UnsafeMutableRawBufferPointer) -> Bool
    ) {
        precondition(length >= 0, "string length \(length)")
        index.maintain()
        let hash = index.hasher.hash(key)
        let (location, existing) = findLive(key, hash: hash, now: now)
        let clock = UnsafeRecord.clock(now: now)
        if let record = existing, record.hasCapacity {
            let fields = record.fields
            if length <= fields.capacity {
                let value = record.base + fields.valueStart
                if length > fields.valueLength {
                    (value + fields.valueLength).initializeMemory(as: UInt8.self, repeating: 0, count: length - fields.valueLength)
                }
                record.setRawLength(length)
                record.clock = clock
                if body(UnsafeMutableRawBufferPointer(start: value, count: length)) { keyChanged(key) }
                return
            }
        }
        var oldLength = 0
        var decimal: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var oldBytes: UnsafeRawPointer?
        if let record = existing {
            switch record.stringValue {
            case .integer(let integer):
                oldLength = withUnsafeMutableBytes(of: &decimal) { RedisInteger.format(integer, into: $0.baseAddress!) }
            case .bytes(let bytes):
                oldLength = bytes.count
                oldBytes = bytes.base
            }
        }
        let capacity = existing != nil && length > oldLength
            ? (length < 1 << 20 ? length * 2 : length + 1 << 20) : length
        let expireAt = existing.flatMap { $0.hasExpiry ? $0.expireAt : nil }
        let record = store(key, hash: hash, at: location, existing: existing,
                           shape: .raw(length: length, capacity: capacity), expireAt: expireAt,
                           clock: clock, inPlace: false) { record in
            let destination = record.base + record.fields.valueStart
            let kept = min(oldLength, length)
            if kept > 0 {
                if let oldBytes {
                    destination.copyMemory(from: oldBytes, byteCount: kept)
                } else {
                    withUnsafeBytes(of: decimal) { destination.copyMemory(from: $0.baseAddress!, byteCount: kept) }
                }
            }
            if length > kept { (destination + kept).initializeMemory(as: UInt8.self, repeating: 0, count: length - kept) }
        }
        if body(UnsafeMutableRawBufferPointer(start: record.base + record.fields.valueStart, count: length)) {
            keyChanged(key)
        }
    }

    /// Deletes `key`; false if it did not exist.
    @discardableResult
    public func delete(_ key: ByteView) -> Bool {
        index.maintain()
        guard let location = index.find(key, hash: index.hasher.hash(key)) else { return false }
        keyChanged(key, deleted: true)
        deleteRecord(index.record(at: location), at: location)
        return true
    }

    /// Deletes `key`; false if it did not exist or had expired (the expired key is collected),
    /// which is what DEL and UNLINK count.
    @discardableResult
    public func delete(_ key: ByteView, now: Int64) -> Bool {
        index.maintain()
        guard let location = index.find(key, hash: index.hasher.hash(key)) else { return false }
        let record = index.record(at: location)
        let expired = record.isExpired(now: now)
        keyChanged(key, deleted: true)
        deleteRecord(record, at: location)
        if expired { expiredKeys += 1 }
        return !expired
    }

    /// Sets or clears the TTL of an existing key; false if the key does not exist.
    @discardableResult
    public func setExpiry(_ key: ByteView, _ change: ExpiryChange) -> Bool {
        index.maintain()
        let hash = index.hasher.hash(key)
        guard let location = index.find(key, hash: hash) else { return false }
        let existing = index.record(at: location)
        let expireAt: Int64?
        switch change {
        case .keep: return true
        case .clear: expireAt = nil
        case .at(let time): expireAt = max(time, 0)
        }
        if !existing.hasExpiry && expireAt == nil { return true }
        keyChanged(key)
        if existing.hasExpiry, let expireAt {
            existing.expireAt = expireAt
            return true
        }
        // The expiry fields appear or disappear: the record moves to a block of another size.
        let shape = existing.shape
        let source = existing.fields
        store(existing.key, hash: hash, at: location, existing: existing, shape: shape, expireAt: expireAt,
              clock: existing.clock, inPlace: false) { record in
            let destination = record.fields.valueStart
            if case .integer = shape {
                record.integer = existing.integer
            } else if source.valueLength > 0 {
                (record.base + destination).copyMemory(from: existing.base + source.valueStart, byteCount: source.valueLength)
            }
        }
        return true
    }

    /// FLUSHDB: frees every record and the index at once.
    public func removeAll() {
        if !watches.isEmpty { watches.touchAll(presentBefore: contains, presentAfter: { _ in (false, false) }) }
        if slab.largeBlocks > 0 {
            index.forEachRecord { record in
                let size = record.blockSize
                if size > UnsafeSlabAllocator.largestClassSize { slab.deallocate(record.base, size: size) }
            }
        }
        slab.releaseAll()
        index.removeAll()
        expirySet.removeAll()
        averageTTL = 0
    }

    // MARK: Internals shared by the extensions

    /// The key's location and record, or nils when it is absent; an expired key is collected
    /// and reported absent.
    @inline(__always)
    func findLive(_ key: ByteView, hash: UInt64, now: Int64) -> (HashIndex.Location?, UnsafeRecord?) {
        guard let location = index.find(key, hash: hash) else { return (nil, nil) }
        let record = index.record(at: location)
        if record.isExpired(now: now) {
            keyChanged(key, deleted: true)
            deleteRecord(record, at: location)
            expiredKeys += 1
            return (nil, nil)
        }
        return (location, record)
    }

    /// Removes the record from the index and the expiry set and frees its block.
    func deleteRecord(_ record: UnsafeRecord, at location: HashIndex.Location) {
        if record.hasExpiry { expirySet.remove(record) }
        index.remove(at: location)
        slab.deallocate(record.base, size: record.blockSize)
    }

    /// Counts keys removed by active expiry into `expiredKeys`.
    func countExpired(_ keys: Int) { expiredKeys += Int64(keys) }

    private func resolve(_ change: ExpiryChange, existing: UnsafeRecord?) -> Int64? {
        switch change {
        case .keep: return existing.flatMap { $0.hasExpiry ? $0.expireAt : nil }
        case .clear: return nil
        case .at(let time): return max(time, 0)
        }
    }

    /// Writes a string record for `key` with `shape`: over the existing block when `inPlace`
    /// allows and the size matches, else into a new block (the old one is freed after `fill`,
    /// which writes the value and may still read `existing`). Keeps index and expiry set in step.
    @discardableResult
    @inline(__always)
    private func store(
        _ key: ByteView, hash: UInt64, at location: HashIndex.Location?, existing: UnsafeRecord?,
        shape: RecordShape, expireAt: Int64?, clock: UInt32, inPlace: Bool, _ fill: (UnsafeRecord) -> Void
    ) -> UnsafeRecord {
        let size = UnsafeRecord.blockSize(keyLength: key.count, shape: shape, hasExpiry: expireAt != nil)
        guard let location, let existing else {
            let record = UnsafeRecord.initialize(
                slab.allocate(size), key: key, shape: shape, type: .string, expireAt: expireAt, expiryIndex: 0, clock: clock)
            fill(record)
            if expireAt != nil { expirySet.add(record) }
            index.insert(record.base, hash: hash)
            return record
        }
        let hadExpiry = existing.hasExpiry
        let oldSize = existing.blockSize
        let expiryIndex = hadExpiry ? existing.expiryIndex : 0
        if inPlace && oldSize == size {
            if hadExpiry && expireAt == nil { expirySet.remove(existing) }
            let record = UnsafeRecord.initialize(
                existing.base, key: key, shape: shape, type: .string, expireAt: expireAt, expiryIndex: expiryIndex, clock: clock)
            fill(record)
            if !hadExpiry && expireAt != nil { expirySet.add(record) }
            return record
        }
        let record = UnsafeRecord.initialize(
            slab.allocate(size), key: key, shape: shape, type: .string, expireAt: expireAt, expiryIndex: expiryIndex, clock: clock)
        fill(record)
        if hadExpiry {
            if expireAt != nil { expirySet.moved(to: record) } else { expirySet.remove(existing) }
        } else if expireAt != nil {
            expirySet.add(record)
        }
        index.replace(at: location, with: record.base)
        slab.deallocate(existing.base, size: oldSize)
        return record
    }
}
