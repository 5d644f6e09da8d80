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

    public init(databaseCount: Int = 16, now: Int64 = 0) {
        precondition(databaseCount >= 1, "databaseCount \(databaseCount)")
        databases = (0..<databaseCount).map { _ in Keyspace() }
        self.now = now
    }

    @inlinable public var databaseCount: Int { databases.count }

    /// SWAPDB.
    public func swapDatabases(_ a: Int, _ b: Int) {
        databases.swapAt(a, b)
    }

    /// FLUSHALL.
    public func removeAll() {
        for database in databases { database.removeAll() }
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
