import Engine
import RESP

/// Prefetches a batch of keys in two steps (`HashIndex+Prefetch`): `add` starts loading each
/// key's index slot, `finish` then each key's record, so that the cache misses of the whole
/// batch overlap instead of stalling each lookup in turn. Used for a pipeline's requests
/// (`Shard+Prefetch`) and for a batch forwarded from another shard (`ForwardBatch`).
///
/// Memory: two small arrays on the stack of the call that prefetches (`with`); nothing is
/// allocated on the heap. A hint only: a key that is not there, or not this shard's, costs a
/// wasted cache line and nothing else.
struct KeyPrefetcher {
    /// Keys per batch: enough to cover a typical pipeline (redis-benchmark -P 16) while the
    /// lines fetched for the first key are still in cache when its command runs.
    static let capacity = 16

    private let hashes: UnsafeMutableBufferPointer<UInt64>
    private let keyspaces: UnsafeMutableBufferPointer<Unmanaged<Keyspace>>
    private var count = 0

    static func with<Result>(_ body: (inout KeyPrefetcher) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { hashes in
            withUnsafeTemporaryAllocation(of: Unmanaged<Keyspace>.self, capacity: capacity) { keyspaces in
                var prefetcher = KeyPrefetcher(hashes: hashes, keyspaces: keyspaces)
                return body(&prefetcher)
            }
        }
    }

    private init(hashes: UnsafeMutableBufferPointer<UInt64>, keyspaces: UnsafeMutableBufferPointer<Unmanaged<Keyspace>>) {
        self.hashes = hashes
        self.keyspaces = keyspaces
    }

    /// Starts loading `key`'s index slot in `keyspace`. The batch must not be full.
    @inline(__always)
    mutating func add(_ key: ByteView, in keyspace: Unmanaged<Keyspace>) {
        hashes[count] = keyspace._withUnsafeGuaranteedRef { $0.prefetchSlot(of: key) }
        keyspaces[count] = keyspace
        count += 1
    }

    /// Starts loading the records of the keys added, and empties the batch. A lone key's
    /// lookup follows at once, so its record's load would overlap nothing and is left to it.
    mutating func finish() {
        if count > 1 {
            for index in 0..<count { keyspaces[index]._withUnsafeGuaranteedRef { $0.prefetchRecord(hash: hashes[index]) } }
        }
        count = 0
    }
}
