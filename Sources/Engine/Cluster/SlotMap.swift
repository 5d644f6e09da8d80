import RESP

/// Which shard owns a hash slot: the 16384 slots split into `shardCount` contiguous ranges, as
/// Redis Cluster assigns them to masters. Every shard holds the same map, so any of them can
/// tell where a key lives without asking.
public struct SlotMap: Sendable, Equatable {
    public let shardCount: Int

    public init(shardCount: Int) {
        precondition(shardCount >= 1 && shardCount <= HashSlot.count, "shard count \(shardCount)")
        self.shardCount = shardCount
    }

    /// The shard owning `slot`.
    @inlinable
    public func shard(ofSlot slot: Int) -> Int { slot * shardCount / HashSlot.count }

    /// The shard owning `key` (no CRC computed when there is only one shard).
    @inlinable
    public func shard(of key: ByteView) -> Int {
        shardCount == 1 ? 0 : shard(ofSlot: HashSlot.of(key))
    }
}

/// Every shard's data, for a command that runs with all the shards it touches held (the
/// server's hold protocol stops their threads first): which store a key lives in, and the
/// stores to sum or walk for keyspace-wide commands.
///
/// Safety: a coordinator may read or change another shard's store only between being granted
/// that shard and releasing it; the grant and the release are the happens-before edges.
public final class StorePartitions {
    public let stores: [DataStore]
    public let map: SlotMap

    public init(stores: [DataStore]) {
        self.stores = stores
        self.map = SlotMap(shardCount: stores.count)
    }

    /// Keyspace `index` of the shard that owns `key`.
    @inlinable
    public func keyspace(for key: ByteView, database index: Int) -> Keyspace {
        stores[map.shard(of: key)].databases[index]
    }
}
