import RESP

/// WATCH bookkeeping: every change to a key goes through `keyChanged`, which raises the flags
/// of the clients watching it — whoever changed it (a command of any client, expiry, FLUSHDB,
/// SWAPDB), as Redis's `signalModifiedKey` and `touchAllWatchedKeysInDb` do.
extension Keyspace {
    /// `key` was written, or is being deleted (`deleted`). Costs one test while nobody watches
    /// this database.
    @inline(__always)
    func keyChanged(_ key: ByteView, deleted: Bool = false) {
        if !watches.isEmpty { watches.touch(key, deleted: deleted) }
    }

    /// Starts watching `key` for `flag`'s client. A key already expired counts as absent: its
    /// deletion by expiry is no change.
    public func watch(_ key: ByteView, flag: WatchFlag, now: Int64) {
        watches.add(key, flag: flag, expiredAtWatch: isExpired(key, now: now))
    }

    public func unwatch(_ key: ByteView, flag: WatchFlag) {
        watches.remove(key, flag: flag)
    }

    /// EXEC's second test (Redis's `isWatchedKeyExpired`): `key` has expired since `flag`'s
    /// client watched it, though nothing has deleted it yet.
    public func expiredSinceWatch(_ key: ByteView, flag: WatchFlag, now: Int64) -> Bool {
        !watches.watchedExpired(key, flag: flag) && isExpired(key, now: now)
    }

    /// SWAPDB: this database's keys are about to be replaced by `other`'s.
    func replacingData(with other: Keyspace, now: Int64) {
        guard !watches.isEmpty else { return }
        watches.touchAll(presentBefore: contains) { key in
            (other.contains(key), other.isExpired(key, now: now))
        }
    }

    /// Whether the index holds `key`, expired or not.
    func contains(_ key: ByteView) -> Bool {
        index.find(key, hash: index.hasher.hash(key)) != nil
    }

    /// Whether the index holds `key` and it is past its expiry time.
    func isExpired(_ key: ByteView, now: Int64) -> Bool {
        guard let location = index.find(key, hash: index.hasher.hash(key)) else { return false }
        return index.record(at: location).isExpired(now: now)
    }
}
