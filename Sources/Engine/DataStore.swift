/// One shard's data: its databases (SELECT 0…15), the shard's notion of "now", and counters.
///
/// Engine code never reads the system clock itself: the owner sets `now` before running
/// commands (the server once per loop turn and command, tests whenever they like), so expiry
/// is deterministic under test and the clock is read once per batch on the hot path.
public final class DataStore {
    public private(set) var databases: [Keyspace]
    /// Unix time in milliseconds, as of the current command.
    public var now: Int64
    /// Statistics INFO reports (stats section).
    public var stats = EngineStats()
    /// `proto-max-bulk-len`: no string may grow beyond it (APPEND, SETRANGE, LCS's table).
    public var maximumStringLength: Int64 = 512 * 1024 * 1024
    /// The database the next active-expiry cycle starts with (Redis's `current_db`).
    private var nextExpiryDatabase = 0
    /// Whether the last active-expiry cycle ran out of time (then the next visits every
    /// database, as Redis's does).
    private var lastExpiryCycleTimedOut = false

    public init(databaseCount: Int = 16, now: Int64 = 0) {
        precondition(databaseCount >= 1, "databaseCount \(databaseCount)")
        databases = (0..<databaseCount).map { _ in Keyspace() }
        self.now = now
    }

    @inlinable public var databaseCount: Int { databases.count }

    /// Database `index`'s keyspace, unretained (`Database` borrows it per command).
    @inlinable
    public func unretainedDatabase(_ index: Int) -> Unmanaged<Keyspace> { .passUnretained(databases[index]) }

    /// SWAPDB. The data changes places; who watches which key stays with the index, and each
    /// watched key present in either database changed.
    public func swapDatabases(_ a: Int, _ b: Int) {
        guard a != b else { return }
        let (first, second) = (databases[a], databases[b])
        first.replacingData(with: second, now: now)
        second.replacingData(with: first, now: now)
        databases.swapAt(a, b)
        swap(&first.watches, &second.watches)
    }

    /// FLUSHALL.
    public func removeAll() {
        for database in databases { database.removeAll() }
    }

    /// Redis's `CRON_DBS_PER_CALL`: databases one active-expiry cycle visits, unless the last
    /// one ran out of time.
    public static let expiryDatabasesPerCycle = 16

    /// One active-expiry cycle over the databases, Redis 7.0's `activeExpireCycle`: visits
    /// them round-robin from where the last cycle stopped (so a database whose expired keys
    /// take the whole budget cannot starve the ones after it), each as `Keyspace+Expiry`
    /// describes, until `budgetMicroseconds` have passed (checked every 16 rounds). The
    /// database that runs out of time counts as visited: the next cycle starts after it.
    /// Returns how many keys it deleted.
    @discardableResult
    public func activeExpireCycle(now: Int64, budgetMicroseconds: Int) -> Int {
        var cycle = ActiveExpiryCycle(budgetMicroseconds: budgetMicroseconds)
        let visits = lastExpiryCycleTimedOut ? databases.count : min(Self.expiryDatabasesPerCycle, databases.count)
        var deleted = 0
        for _ in 0..<visits where !cycle.timedOut {
            let database = databases[nextExpiryDatabase]
            nextExpiryDatabase = (nextExpiryDatabase + 1) % databases.count
            deleted += database.visitForActiveExpiry(now: now, maximumSamples: Keyspace.activeExpirySamples, cycle: &cycle)
        }
        lastExpiryCycleTimedOut = cycle.timedOut
        return deleted
    }

    /// Keys expired by lazy and active expiry, over all databases.
    public var expiredKeys: Int64 { databases.reduce(0) { $0 + $1.expiredKeys } }
}

/// Counters the commands update, named after INFO's fields.
public struct EngineStats: Sendable {
    public var keyspaceHits: Int64 = 0
    public var keyspaceMisses: Int64 = 0
    public init() {}
}
