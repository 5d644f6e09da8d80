/// Active expiry for one database: finding expired keys nobody reads, the way Redis 7.0's
/// `activeExpireCycle` treats each database it visits (expire.c, `active-expire-effort` 1).
///
/// ```
/// visit(db):
///   repeat
///       if no key has a TTL: averageTTL = 0, done
///       sample 20 records of the ExpirySet (keys with a TTL only), delete the expired ones,
///       fold the live ones' TTLs into averageTTL
///       every 16th round of the whole cycle: stop the cycle if its time is spent
///   while more than 10% of the sample had expired
/// ```
/// Redis samples by walking its expires hash table with a cursor, which visits keys in hash
/// order. The ExpirySet is in insertion order, which follows expiry times closely (keys written
/// together expire together), so a cursor over it would crawl through long runs of live keys;
/// sampling it at random keeps Redis's uniform view of the keys instead.
/// `DataStore.activeExpireCycle` runs visits round-robin over the databases.
extension Keyspace {
    /// Keys sampled per round (Redis's `ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP`).
    public static let activeExpirySamples = 20
    /// A database is visited again while more than this percentage of a sample had expired
    /// (Redis's `ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE`).
    public static let acceptableStalePercent = 10

    /// One active-expiry visit of this database alone, with its own time budget: deletes
    /// expired keys among random samples of keys with a TTL, repeating while more than 10% of
    /// a sample had expired, until `budgetMicroseconds` have passed (checked every 16 rounds).
    /// Returns how many keys it deleted. (`DataStore.activeExpireCycle` spreads one budget over
    /// every database instead.)
    @discardableResult
    public func activeExpireCycle(
        now: Int64, maximumSamples: Int = Keyspace.activeExpirySamples, budgetMicroseconds: Int = 25_000
    ) -> Int {
        var cycle = ActiveExpiryCycle(budgetMicroseconds: budgetMicroseconds)
        return visitForActiveExpiry(now: now, maximumSamples: maximumSamples, cycle: &cycle)
    }

    /// Redis's per-database loop of `activeExpireCycle`, as one step of `cycle`: returns the
    /// keys deleted; `cycle.timedOut` tells whether the cycle's time ran out here.
    ///
    /// It also advances a running index resize by up to 1,000 entries, as Redis's cron
    /// rehashes, so an idle keyspace finishes growing or shrinking.
    func visitForActiveExpiry(now: Int64, maximumSamples: Int, cycle: inout ActiveExpiryCycle) -> Int {
        precondition(maximumSamples > 0, "maximumSamples \(maximumSamples)")
        if index.isResizing {
            index.migrate(maximumEntries: 1000, maximumSlots: 8000)
        } else {
            index.maintain()
        }
        var deleted = 0
        while true {
            cycle.rounds += 1
            guard expirySet.count > 0 else {
                averageTTL = 0
                break
            }
            let (sampled, expired) = activeExpiryRound(now: now, maximumSamples: maximumSamples)
            deleted += expired
            if cycle.rounds & 15 == 0 && cycle.isOverBudget {
                cycle.timedOut = true
                break
            }
            if expired * 100 <= sampled * Keyspace.acceptableStalePercent { break }
        }
        countExpired(deleted)
        return deleted
    }

    /// One round: samples up to `maximumSamples` keys with a TTL, deletes the expired ones and
    /// updates `averageTTL` as Redis does — the mean TTL of the sampled keys still alive, folded
    /// into a running average that weighs it 2% (the first sample seeds it), in Redis's integer
    /// arithmetic.
    private func activeExpiryRound(now: Int64, maximumSamples: Int) -> (sampled: Int, expired: Int) {
        let samples = min(maximumSamples, expirySet.count)
        var expired = 0
        var ttlSum: Int64 = 0
        var ttlSamples: Int64 = 0
        for _ in 0..<samples where expirySet.count > 0 {
            let record = expirySet[random.next(below: expirySet.count)]
            let ttl = record.expireAt &- now
            if record.expireAt < now {
                deleteExpired(record)
                expired += 1
            } else if ttl > 0 {
                ttlSum &+= ttl
                ttlSamples += 1
            }
        }
        if ttlSamples > 0 {
            let sample = ttlSum / ttlSamples
            if averageTTL == 0 { averageTTL = sample }
            averageTTL = (averageTTL / 50) * 49 + sample / 50
        }
        return (samples, expired)
    }

    private func deleteExpired(_ record: UnsafeRecord) {
        index.maintain()
        guard let location = index.locate(record.base, hash: index.hasher.hash(record.key)) else {
            preconditionFailure("record with a TTL missing from the index")
        }
        keyChanged(record.key, deleted: true)
        deleteRecord(record, at: location)
    }
}

/// The state one active-expiry cycle carries from database to database: Redis counts rounds
/// over the whole cycle and checks the clock every 16th, against one time limit.
struct ActiveExpiryCycle {
    let started = MonotonicClock.microseconds()
    let budgetMicroseconds: Int
    var rounds = 0
    var timedOut = false

    init(budgetMicroseconds: Int) { self.budgetMicroseconds = budgetMicroseconds }

    var isOverBudget: Bool { MonotonicClock.microseconds() - started > budgetMicroseconds }
}
