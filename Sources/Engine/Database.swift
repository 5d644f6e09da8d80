import RESP

/// One numbered database (SELECT's index) as a command sees it. A command that runs on the
/// shard owning all its keys sees that shard's keyspace directly; a command spanning shards
/// (MSET over several slots, DBSIZE, SCAN…) sees every shard's keyspace for that index, each key
/// routed to its owner and the walks going over the shards in order. Command code is the same
/// either way, so a client cannot tell the data is sharded.
public struct Database {
    public let index: Int
    /// Unretained, as in `CommandContext`: the one-key operations borrow the keyspace through
    /// `withKeyspace` without reference counting.
    @usableFromInline let unretainedHome: Unmanaged<Keyspace>
    @usableFromInline let unretainedPartitions: Unmanaged<StorePartitions>?

    @inlinable
    init(index: Int, home: Unmanaged<Keyspace>, partitions: Unmanaged<StorePartitions>?) {
        self.index = index
        self.unretainedHome = home
        self.unretainedPartitions = partitions
    }

    @usableFromInline var home: Keyspace { unretainedHome.takeUnretainedValue() }
    @usableFromInline var partitions: StorePartitions? { unretainedPartitions?.takeUnretainedValue() }

    /// The keyspace holding `key`.
    @inlinable
    public func keyspace(for key: ByteView) -> Keyspace { withKeyspace(for: key) { $0 } }

    /// Runs `body` with the keyspace holding `key`, borrowed when it is this shard's.
    @inlinable
    func withKeyspace<R>(for key: ByteView, _ body: (Keyspace) -> R) -> R {
        guard let partitions = unretainedPartitions else { return unretainedHome._withUnsafeGuaranteedRef(body) }
        return partitions._withUnsafeGuaranteedRef { body($0.keyspace(for: key, database: index)) }
    }

    /// Each shard's keyspace for this index, in shard order.
    @usableFromInline
    var keyspaces: [Keyspace] {
        guard let partitions else { return [home] }
        return partitions.stores.map { $0.databases[index] }
    }

    // MARK: One key (see `Keyspace` for each one's contract)

    @inlinable
    public func lookup(_ key: ByteView, now: Int64, touch: Bool = true) -> RecordHandle? {
        withKeyspace(for: key) { $0.lookup(key, now: now, touch: touch) }
    }

    /// The key's record, expired or not, untouched (`Keyspace.peek`).
    public func peek(_ key: ByteView) -> RecordHandle? { withKeyspace(for: key) { $0.peek(key) } }

    /// MEMORY USAGE's figure for `key` (`Keyspace.memoryUsage(of:)`).
    public func memoryUsage(of key: ByteView) -> Int? { withKeyspace(for: key) { $0.memoryUsage(of: key) } }

    @inlinable
    public func setString(
        _ key: ByteView, _ value: StringValue, form: StoredForm = .natural, expiry: ExpiryChange, now: Int64
    ) {
        withKeyspace(for: key) { $0.setString(key, value, form: form, expiry: expiry, now: now) }
    }

    @inlinable
    public func mutateString(
        _ key: ByteView, length: Int, now: Int64, _ body: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        withKeyspace(for: key) { $0.mutateString(key, length: length, now: now, body) }
    }

    @inlinable
    public func mutateStringReportingChange(
        _ key: ByteView, length: Int, now: Int64, _ body: (UnsafeMutableRawBufferPointer) -> Bool
    ) {
        withKeyspace(for: key) { $0.mutateStringReportingChange(key, length: length, now: now, body) }
    }

    @inlinable @discardableResult
    public func delete(_ key: ByteView) -> Bool { withKeyspace(for: key) { $0.delete(key) } }

    @inlinable @discardableResult
    public func delete(_ key: ByteView, now: Int64) -> Bool { withKeyspace(for: key) { $0.delete(key, now: now) } }

    @inlinable @discardableResult
    public func setExpiry(_ key: ByteView, _ change: ExpiryChange) -> Bool {
        withKeyspace(for: key) { $0.setExpiry(key, change) }
    }

    // MARK: The whole database

    /// Keys over all shards (DBSIZE).
    public var count: Int {
        guard partitions != nil else { return home.count }
        return keyspaces.reduce(0) { $0 + $1.count }
    }

    /// FLUSHDB.
    public func removeAll() {
        for keyspace in keyspaces { keyspace.removeAll() }
    }

    /// KEYS: every live key, shard after shard.
    public func forEach(now: Int64, _ visit: (RecordHandle) -> Void) {
        for keyspace in keyspaces { keyspace.forEach(now: now, visit) }
    }

    /// SCAN over the shards in order. With one shard the cursor is the keyspace's own. With
    /// more, its top byte is the shard and the rest the shard's cursor without its low byte,
    /// which is always zero (the keyspace hands out multiples of 256), so nothing is lost and
    /// the cursor survives resizes as the keyspace's does. A shard finished early hands over
    /// to the next within the same call.
    public func scan(cursor: UInt64, count: Int, _ visit: (RecordHandle) -> Void) -> UInt64 {
        guard let partitions else { return home.scan(cursor: cursor, count: count, visit) }
        var shard = Int(cursor >> Self.shardShift)
        var inner = cursor << 8
        var visited = 0
        while shard < partitions.stores.count {
            let next = partitions.stores[shard].databases[index].scan(cursor: inner, count: max(1, count - visited)) {
                visited += 1
                visit($0)
            }
            if next != 0 { return UInt64(shard) << Self.shardShift | next >> 8 }
            shard += 1
            inner = 0
            if visited >= count { break }
        }
        return shard < partitions.stores.count ? UInt64(shard) << Self.shardShift : 0
    }

    @usableFromInline static let shardShift: UInt64 = 56

    /// RANDOMKEY: a shard chosen in proportion to its keys, then a key of it; the other
    /// shards in turn when that one held only expired keys.
    public func randomKey(now: Int64) -> RecordHandle? {
        guard partitions != nil else { return home.randomKey(now: now) }
        let all = keyspaces
        let total = all.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        var pick = Int.random(in: 0..<total)
        var first = 0
        while pick >= all[first].count {
            pick -= all[first].count
            first += 1
        }
        for offset in 0..<all.count {
            if let record = all[(first + offset) % all.count].randomKey(now: now) { return record }
        }
        return nil
    }
}
