import RESP

/// The owning shards of the keys the prefetch pass hashed (`Shard+Prefetch`), kept for
/// routing (`Shard+Routing`): a thread hosting guests must know a key's owner to prefetch it
/// from the right store, and routing then reuses that owner instead of hashing the key again
/// (CRC16 and a `{` search, about 120 instructions a request).
///
/// A hint names its key by address. The prefetch pass and the parser both read a request's
/// bytes in place, in the same region, which nothing writes to while its requests run; so the
/// key routing asks about is the key that was hashed exactly when it starts at the same
/// address with the same length. Hints live no longer than that region: `with` puts them on
/// the stack of one pass over it (`Shard.runRequests`), so no hint can outlive the bytes it
/// names, whatever later fills the same memory.
///
/// Requests run in the order they were peeked, at ascending addresses, so lookups only move
/// forward: `next` skips the hints of requests already past, and each lookup costs a compare
/// or two.
///
/// Memory: `capacity` hints on the stack of `with`'s caller, the shard thread making the pass,
/// gone when `with` returns; nothing on the heap.
struct KeyOwnerHints {
    /// One hint per request the prefetch pass peeks at, at most.
    static let capacity = KeyPrefetcher.capacity

    private struct Hint {
        let key: ByteView
        let owner: Int
    }

    private let hints: UnsafeMutableBufferPointer<Hint>
    private var count = 0
    /// The first hint whose key may still be asked about.
    private var next = 0

    static func with<Result>(_ body: (inout KeyOwnerHints) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: Hint.self, capacity: capacity) { hints in
            var keyOwnerHints = KeyOwnerHints(hints: hints)
            return body(&keyOwnerHints)
        }
    }

    private init(hints: UnsafeMutableBufferPointer<Hint>) {
        self.hints = hints
    }

    /// Forgets every hint, for a new prefetch batch.
    @inline(__always)
    mutating func removeAll() {
        count = 0
        next = 0
    }

    /// Records that shard `owner` owns `key`, which lies after every key recorded since
    /// `removeAll`. Not more than `capacity` since then.
    @inline(__always)
    mutating func append(_ key: ByteView, owner: Int) {
        assert(count < Self.capacity, "more than \(Self.capacity) key owner hints")
        assert(count == 0 || hints[count - 1].key.base < key.base, "key owner hints out of order")
        hints[count] = Hint(key: key, owner: owner)  // trivial: no initialisation needed
        count &+= 1
    }

    /// The owner recorded for `key` when it is a key the prefetch pass hashed, else nil. Asking
    /// about a key forgets its hint and those of the keys before it (each request asks once).
    @inline(__always)
    mutating func owner(of key: ByteView) -> Int? {
        while next < count {
            let hint = hints[next]
            if hint.key.base < key.base {  // a request already past
                next &+= 1
                continue
            }
            guard hint.key.base == key.base && hint.key.count == key.count else { return nil }
            next &+= 1
            return hint.owner
        }
        return nil
    }
}
