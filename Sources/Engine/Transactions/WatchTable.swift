import RESP
import Synchronization

/// One client's WATCH: raised by the first change to any key it watches, read by its EXEC.
///
/// A class with an atomic flag because the writer may be another shard's thread (the key's
/// owner, or a coordinator holding it) while the client's own shard reads it; EXEC reads it with
/// every shard owning a watched key held, so no change made before EXEC is missed.
public final class WatchFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public var isRaised: Bool { raised.load(ordering: .acquiring) }
    func raise() { raised.store(true, ordering: .releasing) }
    public func lower() { raised.store(false, ordering: .releasing) }
}

/// The watched keys of one database on one shard, and who watches each: Redis's
/// `db->watched_keys`. Lives beside the keyspace (`Keyspace.watches`) and stays with the
/// database index when SWAPDB swaps the data.
///
/// Looked up by a 64-bit hash of the key so that a write to a watched database compares bytes
/// instead of allocating a key; writes to a database nobody watches only test `isEmpty`.
struct WatchTable {
    /// A watcher of one key: its client's flag, and whether the key was already expired when
    /// it was watched (then its deletion by expiry is no change; Redis's `watchedKey.expired`).
    struct Watcher {
        let flag: WatchFlag
        var expiredAtWatch: Bool
    }

    struct WatchedKey {
        let key: [UInt8]
        var watchers: [Watcher]

        /// The key changed; see `WatchTable.touch`.
        mutating func touch(deleted: Bool) {
            for index in watchers.indices {
                if watchers[index].expiredAtWatch && deleted {
                    watchers[index].expiredAtWatch = false
                } else {
                    watchers[index].flag.raise()
                }
            }
        }

        /// The database under the key was replaced; see `WatchTable.touchAll`.
        mutating func replaced(existed: Bool, after: (present: Bool, expired: Bool)) {
            guard existed || after.present else { return }
            for index in watchers.indices {
                if watchers[index].expiredAtWatch {
                    if !after.present {
                        watchers[index].expiredAtWatch = false
                        continue
                    }
                    if after.expired { continue }
                } else if !existed && after.expired {
                    watchers[index].expiredAtWatch = true
                    continue
                }
                watchers[index].flag.raise()
            }
        }
    }

    private var buckets: [UInt64: [WatchedKey]] = [:]
    private let hasher = KeyHasher(seed: 0x5741_5443_4845_4421)

    var isEmpty: Bool { buckets.isEmpty }

    /// Where `key`'s entry is: its bucket's hash and its place in the bucket.
    private func find(_ key: ByteView) -> (hash: UInt64, entry: Int)? {
        let hash = hasher.hash(key)
        guard let entry = buckets[hash]?.firstIndex(where: { $0.key.withByteView { $0.equals(key) } }) else { return nil }
        return (hash, entry)
    }

    /// Adds `flag` as a watcher of `key` (once per flag).
    mutating func add(_ key: ByteView, flag: WatchFlag, expiredAtWatch: Bool) {
        let watcher = Watcher(flag: flag, expiredAtWatch: expiredAtWatch)
        guard let (hash, entry) = find(key) else {
            buckets[hasher.hash(key), default: []].append(WatchedKey(key: key.array, watchers: [watcher]))
            return
        }
        guard !buckets[hash]![entry].watchers.contains(where: { $0.flag === flag }) else { return }
        buckets[hash]![entry].watchers.append(watcher)
    }

    /// Removes `flag` as a watcher of `key`.
    mutating func remove(_ key: ByteView, flag: WatchFlag) {
        guard let (hash, entry) = find(key) else { return }
        buckets[hash]![entry].watchers.removeAll { $0.flag === flag }
        if buckets[hash]![entry].watchers.isEmpty { buckets[hash]!.remove(at: entry) }
        if buckets[hash]!.isEmpty { buckets[hash] = nil }
    }

    /// Whether `flag` watched `key` when it was already expired.
    func watchedExpired(_ key: ByteView, flag: WatchFlag) -> Bool {
        guard let (hash, entry) = find(key) else { return false }
        return buckets[hash]![entry].watchers.first { $0.flag === flag }?.expiredAtWatch ?? false
    }

    /// `key` changed: raises its watchers. When the change deleted it, a watcher that saw the
    /// key already expired sees no change (the key it watched was logically absent already)
    /// and from now on watches an absent key (Redis's `touchWatchedKey`).
    mutating func touch(_ key: ByteView, deleted: Bool) {
        guard let (hash, entry) = find(key) else { return }
        buckets[hash]![entry].touch(deleted: deleted)
    }

    /// FLUSHDB, FLUSHALL and SWAPDB (Redis's `touchAllWatchedKeysInDb`): the database's keys
    /// are replaced by another database's (SWAPDB) or by none. A watched key present before or
    /// after changed, except that a key expired when watched is unchanged if it is gone now or
    /// still expired, and an absent key replaced by an expired one becomes "watched expired".
    /// - Parameters:
    ///   - presentBefore: whether the key is in the emptied database (expired or not).
    ///   - presentAfter: whether the key is in the replacing database, and expired there.
    mutating func touchAll(
        presentBefore: (ByteView) -> Bool, presentAfter: (ByteView) -> (present: Bool, expired: Bool)
    ) {
        for hash in Array(buckets.keys) {
            for entry in buckets[hash]!.indices {
                let (existed, after) = buckets[hash]![entry].key.withByteView { (presentBefore($0), presentAfter($0)) }
                buckets[hash]![entry].replaced(existed: existed, after: after)
            }
        }
    }
}
