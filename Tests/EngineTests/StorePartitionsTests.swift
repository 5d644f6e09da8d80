@testable import Engine
import RESP
import Testing

/// Commands that span shards see every shard's data through `StorePartitions`: each key lands
/// in (and is read from) the store of the shard owning its slot, and keyspace-wide commands
/// sum and walk all the stores.
@Suite struct StorePartitionsTests {
    /// Runs commands with every store visible, as a coordinator holding all shards does.
    final class SpanningEngine {
        let stores: [DataStore]
        let partitions: StorePartitions
        let executor = CommandExecutor(table: CommandTable(EngineCommands.all))
        let session = ClientSession(id: 1, now: 1_700_000_000_000)
        let output = OutputBuffer()

        init(shards: Int) {
            stores = (0..<shards).map { _ in DataStore(databaseCount: 16, now: 1_700_000_000_000) }
            partitions = StorePartitions(stores: stores)
        }

        func reply(_ arguments: String...) -> String { reply(arguments) }

        func reply(_ arguments: [String]) -> String {
            Arguments.with(arguments.map { Array($0.utf8) }) { args in
                let reply = ReplyWriter(buffer: output, protocolVersion: 2)
                executor.execute(CommandContext(
                    args: args, reply: reply, store: stores[0], session: session, executor: executor, host: nil,
                    partitions: partitions))
            }
            let text = String(decoding: output.readableArray, as: UTF8.self)
            output.consume(output.readableBytes)
            return text
        }

        /// Which stores hold `key` in database 0.
        func holders(of key: String) -> [Int] {
            Array(key.utf8).withUnsafeBytes { raw in
                let view = ByteView(base: raw.baseAddress!, count: raw.count)
                return stores.indices.filter { stores[$0].databases[0].lookup(view, now: 1_700_000_000_000) != nil }
            }
        }

        func owner(of key: String) -> Int {
            Array(key.utf8).withUnsafeBytes { partitions.map.shard(of: ByteView(base: $0.baseAddress!, count: $0.count)) }
        }
    }

    @Test func slotRangesSplitEvenlyAndInOrder() {
        let map = SlotMap(shardCount: 3)
        #expect(map.shard(ofSlot: 0) == 0)
        #expect(map.shard(ofSlot: 5461) == 0)
        #expect(map.shard(ofSlot: 5462) == 1)
        #expect(map.shard(ofSlot: 16383) == 2)
        let counts = (0..<HashSlot.count).reduce(into: [0, 0, 0]) { $0[map.shard(ofSlot: $1)] += 1 }
        #expect(counts == [5462, 5461, 5461])
    }

    @Test func eachKeyLivesOnItsOwner() {
        let engine = SpanningEngine(shards: 3)
        let keys = (0..<60).map { "key:\($0)" }
        #expect(engine.reply(["MSET"] + keys.flatMap { [$0, "v-\($0)"] }) == "+OK\r\n")
        for key in keys { #expect(engine.holders(of: key) == [engine.owner(of: key)]) }
        #expect(Set(keys.map(engine.owner)).count == 3)
        #expect(engine.reply("MGET", "key:1", "missing", "key:2") == "*3\r\n$7\r\nv-key:1\r\n$-1\r\n$7\r\nv-key:2\r\n")
        #expect(engine.reply("DBSIZE") == ":60\r\n")
        #expect(engine.reply("EXISTS", "key:1", "key:2", "key:3", "nope") == ":3\r\n")
        #expect(engine.reply("DEL", "key:1", "key:2", "nope") == ":2\r\n")
        #expect(engine.reply("DBSIZE") == ":58\r\n")
    }

    @Test func renameAndCopyMoveValuesBetweenShards() {
        let engine = SpanningEngine(shards: 2)
        // Two keys owned by different shards.
        let source = "a", target = (0...).lazy.map { "b\($0)" }.first { engine.owner(of: $0) != engine.owner(of: "a") }!
        _ = engine.reply("SET", source, "value", "PX", "100000")
        #expect(engine.reply("RENAME", source, target) == "+OK\r\n")
        #expect(engine.holders(of: source) == [] && engine.holders(of: target) == [engine.owner(of: target)])
        #expect(engine.reply("PTTL", target) == ":100000\r\n")
        #expect(engine.reply("COPY", target, source) == ":1\r\n")
        #expect(engine.holders(of: source) == [engine.owner(of: source)])
        #expect(engine.reply("GET", source) == "$5\r\nvalue\r\n")
    }

    @Test(arguments: [1, 7, 100])
    func scanVisitsEveryShardAcrossGrowth(count: Int) {
        let engine = SpanningEngine(shards: 3)
        let keys = Set((0..<2000).map { "key:\($0)" })
        for key in keys { _ = engine.reply("SET", key, "v") }
        var seen = Set<String>()
        var cursor = "0"
        var calls = 0
        repeat {
            let reply = engine.reply("SCAN", cursor, "COUNT", String(count))
            let lines = reply.split(separator: "\r\n").map(String.init)
            cursor = lines[2]
            for index in stride(from: 5, to: lines.count, by: 2) { seen.insert(lines[index]) }
            calls += 1
            // Keys added between calls make the shards' tables grow mid-iteration.
            if calls % 3 == 0 && calls < 300 { _ = engine.reply("SET", "late:\(calls)", "v") }
        } while cursor != "0" && calls < 100_000
        #expect(keys.isSubset(of: seen))
        #expect(cursor == "0")
    }

    @Test func keyspaceWideCommandsCoverEveryShard() {
        let engine = SpanningEngine(shards: 4)
        for index in 0..<40 { _ = engine.reply("SET", "k\(index)", "v") }
        #expect(engine.reply("KEYS", "*").hasPrefix("*40\r\n"))
        #expect(engine.reply("RANDOMKEY").hasPrefix("$"))
        #expect(engine.reply("SWAPDB", "0", "5") == "+OK\r\n")
        #expect(engine.reply("DBSIZE") == ":0\r\n")
        #expect(engine.stores.allSatisfy { $0.databases[5].count > 0 })
        #expect(engine.reply("FLUSHALL") == "+OK\r\n")
        #expect(engine.stores.allSatisfy { $0.databases[5].count == 0 })
        #expect(engine.reply("RANDOMKEY") == "$-1\r\n")
    }
}
