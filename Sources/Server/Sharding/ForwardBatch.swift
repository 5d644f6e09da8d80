import Engine
import RESP

/// Commands a shard forwards, in one loop turn, to the shard that owns their keys, and the
/// replies that come back: the arguments copied into one byte array, one entry per command.
///
/// Entries of one connection keep their order (the owner runs them in order and the replies
/// are delivered in order), which with `Connection.forwarded` keeps every connection's
/// replies in request order.
struct ForwardBatch {
    struct Entry {
        /// The client, retained by the forwarding shard until the reply is delivered (only that
        /// shard retains or releases it).
        let connection: Unmanaged<Connection>
        /// Its session: the owner reads the database and protocol and records the command
        /// while the connection, which waits for this reply, runs nothing else.
        unowned(unsafe) let session: ClientSession
        let firstSpan: Int
        let spanCount: Int
        /// False when CLIENT REPLY OFF or SKIP swallows this reply.
        let keepsReply: Bool
        /// Where the reply ends in `replies` (it starts where the previous one ended).
        var replyEnd = 0
    }

    private(set) var arguments: [UInt8] = []
    private(set) var spans: [ArgumentSpan] = []
    var entries: [Entry] = []
    /// Created on first use, so hold messages carry no buffer.
    private(set) var replies: OutputBuffer?

    var isEmpty: Bool { entries.isEmpty }

    mutating func append(_ args: Arguments, from connection: Connection, keepsReply: Bool) {
        let firstSpan = spans.count
        for index in 0..<args.count {
            let argument = args[index]
            spans.append(ArgumentSpan(offset: arguments.count, count: argument.count))
            arguments.append(contentsOf: argument.bytes)
        }
        entries.append(Entry(
            connection: .passRetained(connection), session: connection.session, firstSpan: firstSpan,
            spanCount: args.count, keepsReply: keepsReply))
    }

    /// Calls `body` with each entry's arguments and the buffer its reply goes to, in order,
    /// recording where each reply ends. Before each `KeyPrefetcher.capacity` entries run (two
    /// or more), their keys (second arguments) are prefetched from `store`.
    mutating func runEach(prefetchingFrom store: DataStore, _ body: (Entry, Arguments, OutputBuffer) -> Void) {
        let output = replies ?? OutputBuffer(capacity: 4096)
        replies = output
        if arguments.isEmpty { arguments.append(0) }  // a valid base pointer for empty arguments
        let entryCount = entries.count
        arguments.withUnsafeBytes { bytes in
            spans.withUnsafeBufferPointer { allSpans in
                KeyPrefetcher.with { prefetcher in
                    for index in 0..<entryCount {
                        // A lone command overlaps nothing: its lookup follows at once.
                        let windowEnd = min(index + KeyPrefetcher.capacity, entryCount)
                        if index % KeyPrefetcher.capacity == 0 && windowEnd - index > 1 {
                            for ahead in index..<windowEnd where entries[ahead].spanCount > 1 {
                                let key = allSpans[entries[ahead].firstSpan + 1]
                                prefetcher.add(
                                    ByteView(base: bytes.baseAddress! + key.offset, count: key.count),
                                    in: store.unretainedDatabase(entries[ahead].session.databaseIndex))
                            }
                            prefetcher.finish()
                        }
                        let entry = entries[index]
                        let spans = UnsafeBufferPointer(rebasing: allSpans[entry.firstSpan..<entry.firstSpan + entry.spanCount])
                        body(entry, Arguments(base: bytes.baseAddress!, spans: spans), output)
                        entries[index].replyEnd = output.writerIndex
                    }
                }
            }
        }
    }

    /// Empties the batch for reuse, keeping its capacity.
    mutating func reset() {
        arguments.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        if let replies { replies.consume(replies.readableBytes) }
    }
}
