@testable import Engine
import RESP
import Testing

/// MULTI/EXEC/WATCH in the engine, with the clock under the test's control: queued replies,
/// EXECABORT, and which changes break a WATCH — expiry included, which end-to-end tests can only
/// reach by sleeping. Replies are redis-server 7.0's.
@Suite struct TransactionTests {
    /// A second client of the same engine.
    final class OtherClient {
        let engine: Engine
        let session = ClientSession(id: 2, now: 0)
        let output = OutputBuffer()

        init(_ engine: Engine) { self.engine = engine }

        func reply(_ arguments: String...) -> String {
            Arguments.with(arguments.map { Array($0.utf8) }) { args in
                let reply = ReplyWriter(buffer: output, protocolVersion: 2)
                engine.executor.execute(CommandContext(
                    args: args, reply: reply, store: engine.store, session: session, executor: engine.executor, host: nil))
            }
            defer { output.consume(output.readableBytes) }
            return String(decoding: output.readableArray, as: UTF8.self)
        }
    }

    /// WATCH k, let `change` run, then MULTI PING EXEC: true when EXEC ran the transaction.
    func transactionRuns(_ e: Engine, watching key: String = "k", after change: () -> Void) -> Bool {
        #expect(e.reply("WATCH", key) == "+OK\r\n")
        change()
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("PING") == "+QUEUED\r\n")
        let reply = e.reply("EXEC")
        #expect(reply == "*1\r\n+PONG\r\n" || reply == "*-1\r\n")
        return reply == "*1\r\n+PONG\r\n"
    }

    @Test func queuedCommandsRunInOrderWithTheirOwnErrors() {
        let e = Engine()
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("SET", "a", "abc") == "+QUEUED\r\n")
        #expect(e.reply("INCR", "a") == "+QUEUED\r\n")
        #expect(e.reply("SELECT", "1") == "+QUEUED\r\n")
        #expect(e.reply("GET", "a") == "+QUEUED\r\n")
        #expect(e.reply("EXEC") == "*4\r\n+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n$-1\r\n")
        #expect(e.session.databaseIndex == 1)
        #expect(e.reply("EXEC") == "-ERR EXEC without MULTI\r\n")
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("EXEC") == "*0\r\n")
    }

    @Test func queueingErrorsAbortTheTransaction() {
        let e = Engine()
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("SET", "a", "1") == "+QUEUED\r\n")
        #expect(e.reply("MULTI") == "-ERR MULTI calls can not be nested\r\n")
        #expect(e.reply("WATCH", "a") == "-ERR WATCH inside MULTI is not allowed\r\n")
        #expect(e.reply("GET") == "-ERR wrong number of arguments for 'get' command\r\n")
        #expect(e.reply("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")
        #expect(e.reply("GET", "a") == "$-1\r\n")
        #expect(e.reply("DISCARD") == "-ERR DISCARD without MULTI\r\n")
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("NOSUCH", "x") == "-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n")
        #expect(e.reply("DISCARD") == "+OK\r\n")
        #expect(e.reply("GET", "a") == "$-1\r\n")
    }

    @Test func writesOfAnyClientBreakAWatch() {
        let e = Engine()
        let other = OtherClient(e)
        #expect(!transactionRuns(e) { _ = other.reply("SET", "k", "1") })
        #expect(transactionRuns(e) { _ = other.reply("SET", "j", "1") })
        #expect(!transactionRuns(e) { _ = e.reply("APPEND", "k", "") })  // its own write too
        #expect(transactionRuns(e) { _ = other.reply("SETNX", "k", "2") })  // no change
        #expect(!transactionRuns(e) { _ = other.reply("DEL", "k") })
        #expect(transactionRuns(e) { _ = other.reply("DEL", "k") })  // nothing to delete
        #expect(transactionRuns(e) { _ = other.reply("PERSIST", "k") })
        _ = other.reply("SET", "k", "1")
        #expect(!transactionRuns(e) { _ = other.reply("EXPIRE", "k", "100") })
        #expect(!transactionRuns(e) { _ = other.reply("RENAME", "k", "j") })
        #expect(!transactionRuns(e) { _ = other.reply("RENAME", "j", "k") })
        #expect(e.store.databases[0].watches.isEmpty)  // EXEC unwatched everything
    }

    @Test func expiryBreaksAWatchUnlessTheKeyHadExpiredAlready() {
        let e = Engine()
        let start = e.store.now
        _ = e.reply("SET", "k", "1", "PX", "100")
        #expect(!transactionRuns(e) { e.store.now = start + 200 })  // expired, still in the index
        #expect(transactionRuns(e) {})  // it had expired before WATCH
        e.store.now = start
        _ = e.reply("SET", "k", "1", "PX", "100")
        #expect(!transactionRuns(e) {
            e.store.now = start + 200
            e.store.activeExpireCycle(now: e.store.now, budgetMicroseconds: 1_000_000)  // deleted by active expiry
        })
        _ = e.reply("SET", "k", "1", "PX", "100")
        #expect(!transactionRuns(e) {
            e.store.now += 200
            _ = e.reply("GET", "k")  // deleted by lazy expiry
        })
    }

    @Test func flushesAndSwapsBreakWatchesOfKeysTheyChange() {
        let e = Engine()
        let other = OtherClient(e)
        #expect(transactionRuns(e) { _ = other.reply("FLUSHALL") })  // k did not exist
        _ = other.reply("SET", "k", "1")
        #expect(!transactionRuns(e) { _ = other.reply("FLUSHALL") })
        _ = other.reply("SET", "k", "1")
        #expect(transactionRuns(e) { _ = other.reply("SWAPDB", "0", "0") })
        #expect(!transactionRuns(e) { _ = other.reply("SWAPDB", "0", "1") })  // k moved away
        #expect(!transactionRuns(e) { _ = other.reply("SWAPDB", "0", "1") })  // and back
        #expect(transactionRuns(e) { _ = other.reply("SWAPDB", "2", "3") })
        // The watch stays with database 0 while the data moves.
        #expect(e.reply("WATCH", "k") == "+OK\r\n")
        _ = other.reply("SWAPDB", "0", "1")
        #expect(!e.store.databases[0].watches.isEmpty && e.store.databases[1].watches.isEmpty)
        #expect(e.reply("UNWATCH") == "+OK\r\n")
        #expect(e.store.databases[0].watches.isEmpty)
    }

    @Test func discardAndUnwatchForgetTheWatch() {
        let e = Engine()
        let other = OtherClient(e)
        #expect(e.reply("WATCH", "k", "k", "j") == "+OK\r\n")
        #expect(e.session.watchedKeys.count == 2)
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("UNWATCH") == "+QUEUED\r\n")
        #expect(e.reply("DISCARD") == "+OK\r\n")
        #expect(e.session.watchedKeys.isEmpty && e.store.databases[0].watches.isEmpty)
        _ = other.reply("SET", "k", "1")
        #expect(e.reply("MULTI") == "+OK\r\n")
        #expect(e.reply("PING") == "+QUEUED\r\n")
        #expect(e.reply("EXEC") == "*1\r\n+PONG\r\n")
    }
}
