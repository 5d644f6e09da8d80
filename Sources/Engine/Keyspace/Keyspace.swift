#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import RESP

/// One database's keys: the only way commands reach stored data.
///
/// PROVISIONAL implementation (a Swift Dictionary of heap entries) that fixes the API while the
/// real store — open-addressing index with incremental resize, compact records — is built.
/// Commands must not depend on anything but the public API below.
///
/// Expiry contract: `lookup` deletes an expired key it finds (lazy expiry) and reports it absent;
/// `activeExpireCycle` samples keys with a TTL and deletes the expired ones.
public final class Keyspace {
    final class Entry {
        let key: [UInt8]
        var type: ValueType = .string
        var encoding: StringEncoding = .embstr
        var integer: Int64 = 0
        var bytes: UnsafeMutableRawPointer?
        var length = 0
        var expireAt: Int64 = -1
        var lastAccessSeconds: Int64 = 0

        init(key: [UInt8]) { self.key = key }
        deinit { free(bytes) }
    }

    private var entries: [[UInt8]: Entry] = [:]
    public private(set) var expiredKeys: Int64 = 0
    private var expiringCount = 0

    public init() {}

    /// Number of keys (including expired ones not yet collected), as DBSIZE reports.
    public var count: Int { entries.count }
    /// Number of keys with a TTL (INFO keyspace `expires=`).
    public var expiresCount: Int { expiringCount }

    /// Finds a live key. An expired key is deleted and reported absent. `touch` updates the
    /// access time (OBJECT IDLETIME); TYPE/OBJECT look without touching.
    public func lookup(_ key: ByteView, now: Int64, touch: Bool = true) -> RecordHandle? {
        guard let entry = entries[key.array] else { return nil }
        if entry.expireAt >= 0 && entry.expireAt <= now {
            remove(entry)
            expiredKeys += 1
            return nil
        }
        if touch { entry.lastAccessSeconds = now / 1000 }
        return RecordHandle(entry: entry)
    }

    /// Stores a string value under `key`, replacing whatever was there.
    public func setString(
        _ key: ByteView, _ value: StringValue, rawEncoding: Bool = false, expiry: ExpiryChange, now: Int64
    ) {
        let keyBytes = key.array
        let entry: Entry
        if let existing = entries[keyBytes] {
            entry = existing
        } else {
            entry = Entry(key: keyBytes)
            entries[keyBytes] = entry
        }
        entry.type = .string
        entry.lastAccessSeconds = now / 1000
        switch value {
        case .integer(let integer):
            entry.encoding = .int
            entry.integer = integer
            free(entry.bytes)
            entry.bytes = nil
            entry.length = 0
        case .bytes(let view):
            entry.encoding = (rawEncoding || view.count > StringEncoding.embeddedLimit) ? .raw : .embstr
            free(entry.bytes)
            entry.bytes = malloc(max(view.count, 1))
            entry.bytes!.copyMemory(from: view.base, byteCount: view.count)
            entry.length = view.count
        }
        apply(expiry, to: entry)
    }

    /// Resizes the string at `key` (created empty if absent) to `length` bytes, keeping its
    /// content up to the shorter length and zero-filling the rest, then lets `body` write into
    /// it. The value becomes `raw`. Used by APPEND and SETRANGE; the TTL is kept.
    public func mutateString(
        _ key: ByteView, length: Int, now: Int64, _ body: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        let keyBytes = key.array
        let entry: Entry
        if let existing = entries[keyBytes] {
            entry = existing
        } else {
            entry = Entry(key: keyBytes)
            entries[keyBytes] = entry
        }
        var old: [UInt8] = []
        if entry.encoding == .int {
            var scratch = [UInt8](repeating: 0, count: 24)
            let n = scratch.withUnsafeMutableBytes { RedisInteger.format(entry.integer, into: $0.baseAddress!) }
            old = Array(scratch[0..<n])
        } else if let bytes = entry.bytes {
            old = Array(UnsafeRawBufferPointer(start: bytes, count: entry.length))
        }
        let storage = malloc(max(length, 1))!
        memset(storage, 0, max(length, 1))
        old.withUnsafeBytes { storage.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(storage), byteCount: min(old.count, length)) }
        free(entry.bytes)
        entry.bytes = storage
        entry.length = length
        entry.encoding = .raw
        entry.type = .string
        entry.lastAccessSeconds = now / 1000
        body(UnsafeMutableRawBufferPointer(start: storage, count: length))
    }

    /// Deletes `key`; false if it did not exist.
    @discardableResult
    public func delete(_ key: ByteView) -> Bool {
        guard let entry = entries[key.array] else { return false }
        remove(entry)
        return true
    }

    /// Sets or clears the TTL of an existing key; false if the key does not exist.
    @discardableResult
    public func setExpiry(_ key: ByteView, _ change: ExpiryChange) -> Bool {
        guard let entry = entries[key.array] else { return false }
        apply(change, to: entry)
        return true
    }

    /// FLUSHDB.
    public func removeAll() {
        entries.removeAll()
        expiringCount = 0
    }

    /// Calls `visit` for every live key (KEYS). Expired keys are skipped, not deleted.
    public func forEach(now: Int64, _ visit: (RecordHandle) -> Void) {
        for entry in entries.values where !(entry.expireAt >= 0 && entry.expireAt <= now) {
            visit(RecordHandle(entry: entry))
        }
    }

    /// SCAN: visits some keys from `cursor` on and returns the next cursor (0 when done).
    /// Every key present for the whole iteration is visited at least once.
    public func scan(cursor: UInt64, count: Int, _ visit: (RecordHandle) -> Void) -> UInt64 {
        let sorted = entries.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var index = Int(cursor)
        var visited = 0
        while index < sorted.count && visited < max(count, 1) {
            visit(RecordHandle(entry: entries[sorted[index]]!))
            index += 1
            visited += 1
        }
        return index >= sorted.count ? 0 : UInt64(index)
    }

    /// RANDOMKEY: a random live key (expired keys met on the way are deleted).
    public func randomKey(now: Int64) -> RecordHandle? {
        while let entry = entries.values.randomElement() {
            if entry.expireAt >= 0 && entry.expireAt <= now {
                remove(entry)
                expiredKeys += 1
                continue
            }
            return RecordHandle(entry: entry)
        }
        return nil
    }

    /// One active-expiry pass: deletes expired keys among a sample; returns how many it deleted.
    @discardableResult
    public func activeExpireCycle(now: Int64, maximumSamples: Int = 20) -> Int {
        var deleted = 0
        for entry in Array(entries.values) where entry.expireAt >= 0 && entry.expireAt <= now {
            remove(entry)
            expiredKeys += 1
            deleted += 1
        }
        return deleted
    }

    private func apply(_ change: ExpiryChange, to entry: Entry) {
        let had = entry.expireAt >= 0
        switch change {
        case .keep: return
        case .clear: entry.expireAt = -1
        case .at(let time): entry.expireAt = max(time, 0)
        }
        let has = entry.expireAt >= 0
        if had != has { expiringCount += has ? 1 : -1 }
    }

    private func remove(_ entry: Entry) {
        if entry.expireAt >= 0 { expiringCount -= 1 }
        entries[entry.key] = nil
    }
}
