/// Active expiry: finding expired keys nobody reads, the way Redis's `activeExpireCycle` does.
///
/// ```
/// repeat
///     sample up to 20 records from the ExpirySet (keys with a TTL only), delete expired ones
/// while more than 25% of the sample had expired and the time budget is not spent
/// ```
/// With every key expired each round deletes a full sample, so a million expired keys go in
/// a few 25 ms slices; with few expired keys a call costs one sample.
extension Keyspace {
    /// One active-expiry pass: deletes expired keys among random samples of keys with a TTL,
    /// repeating while more than a quarter of a sample had expired, until `budgetMicroseconds`
    /// have passed (checked every 16 samples). Returns how many keys it deleted.
    ///
    /// The server calls it periodically (Redis: 10 times a second, 25% of that period as the
    /// budget). It also advances a running index resize by up to 1,000 entries, as Redis's
    /// cron rehashes, so an idle keyspace finishes growing or shrinking.
    @discardableResult
    public func activeExpireCycle(now: Int64, maximumSamples: Int = 20, budgetMicroseconds: Int = 25_000) -> Int {
        precondition(maximumSamples > 0, "maximumSamples \(maximumSamples)")
        let started = MonotonicClock.microseconds()
        if index.isResizing {
            index.migrate(maximumEntries: 1000, maximumSlots: 8000)
        } else {
            index.maintain()
        }
        var deleted = 0
        var rounds = 0
        while expirySet.count > 0 {
            let samples = min(maximumSamples, expirySet.count)
            var expired = 0
            for _ in 0..<samples where expirySet.count > 0 {
                let record = expirySet[random.next(below: expirySet.count)]
                if record.expireAt < now {
                    deleteExpired(record)
                    expired += 1
                }
            }
            deleted += expired
            rounds += 1
            if expired * 4 <= samples { break }
            if rounds & 15 == 0 && MonotonicClock.microseconds() - started > budgetMicroseconds { break }
        }
        countExpired(deleted)
        return deleted
    }

    private func deleteExpired(_ record: UnsafeRecord) {
        index.maintain()
        guard let location = index.locate(record.base, hash: index.hasher.hash(record.key)) else {
            preconditionFailure("record with a TTL missing from the index")
        }
        deleteRecord(record, at: location)
    }
}
