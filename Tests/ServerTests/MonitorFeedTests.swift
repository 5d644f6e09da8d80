import Engine
import RESP
import Testing

@testable import Server

/// MONITOR's lines and their fan-out, without a server (test_monitor.py compares whole feeds
/// with Redis's).
@Suite struct MonitorFeedTests {
    /// `sdscatrepr`, byte by byte: the escapes Redis uses, printable ASCII as is, \xHH else.
    @Test func quotingIsRedisRepr() {
        let quoted = RedisQuoting.quoted([0x61, 0x00, 0xff, 0x0a, 0x0d, 0x09, 0x07, 0x08, 0x22, 0x5c, 0x20, 0x7e, 0x7f, 0x80])
        #expect(String(decoding: quoted, as: UTF8.self) == #""a\x00\xff\n\r\t\a\b\"\\ ~\x7f\x80""#)
        #expect(RedisQuoting.quoted([]) == Array("\"\"".utf8))
    }

    @Test func aLineHasTheTimeTheClientAndTheQuotedArguments() throws {
        let parts: [[UInt8]] = [Array("AUTH".utf8), Array("default".utf8), Array("secret".utf8)]
        let line = withArguments(parts) { args in
            MonitorFeed.line(args, redacted: 0b100, database: 3, client: ClientSession(id: 1, now: 0, peerAddress: "10.0.0.1:5000"), unixSocket: "")
        }
        let text = String(decoding: line, as: UTF8.self)
        let match = try #require(text.wholeMatch(of: /\+(\d+)\.(\d{6}) \[3 10\.0\.0\.1:5000\] "AUTH" "default" "\(redacted\)"\r\n/))
        #expect(Int(match.1)! > 1_700_000_000)
        let unix = withArguments([Array("PING".utf8)]) { args in
            MonitorFeed.line(args, redacted: 0, database: 0, client: ClientSession(id: 2, now: 0, peerAddress: "/tmp/s:0", isUnixSocket: true), unixSocket: "/tmp/s")
        }
        #expect(String(decoding: unix, as: UTF8.self).hasSuffix(#" [0 unix:/tmp/s] "PING""# + "\r\n"))
    }

    /// Lines queue only for shards with monitors; a shard is named once per empty queue (it is
    /// told once), and a shard whose last monitor left drops its queue.
    @Test func linesQueueForShardsWithMonitors() {
        let feed = MonitorFeed(shardCount: 3)
        #expect(feed.isIdle && feed.publish([1]) == [])
        feed.added(on: 0)
        feed.added(on: 2)
        feed.added(on: 2)
        #expect(!feed.isIdle)
        #expect(feed.publish([1, 2]) == [0, 2])
        #expect(feed.publish([3]) == [])
        #expect(feed.take(for: 2) == [1, 2, 3])
        #expect(feed.take(for: 2) == [])
        #expect(feed.publish([4]) == [2])
        feed.removed(on: 0)
        #expect(feed.take(for: 0) == [])
        feed.removed(on: 2)
        feed.removed(on: 2)
        #expect(feed.isIdle)
    }

    private func withArguments<R>(_ parts: [[UInt8]], _ body: (Arguments) -> R) -> R {
        StoredArguments(parts).withArguments(body)
    }
}
