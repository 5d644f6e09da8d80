import Engine
import RESP

extension Shard {
    /// Parses and executes every complete request in `connection`'s query buffer, appending
    /// replies to its output buffer. Stops at an incomplete frame, a protocol error or QUIT.
    /// Called by the event loop after bytes arrive; marks the connection dirty for the flush.
    func process(_ connection: Connection) {
        let input = connection.input
        let used = runRequests(connection, in: input.unparsed)
        input.consume(used)
        afterRequests(connection)
    }

    /// Like `process`, for bytes still in the event loop's receive buffer: when nothing is
    /// pending, requests run straight from `received` and only an incomplete tail is copied
    /// into the query buffer, so most requests are never copied at all.
    func process(_ connection: Connection, received: UnsafeMutableRawBufferPointer) {
        let input = connection.input
        guard input.readableBytes == 0 && !connection.parser.isMidFrame else {
            input.append(received.baseAddress!, count: received.count)
            return process(connection)
        }
        let used = runRequests(connection, in: received)
        if used < received.count && !connection.closing {
            input.append(received.baseAddress! + used, count: received.count - used)
        }
        afterRequests(connection)
    }

    /// Runs the complete requests at the start of `region`; returns the bytes they took.
    private func runRequests(_ connection: Connection, in region: UnsafeMutableRawBufferPointer) -> Int {
        let now = Clock.milliseconds()
        setNow(now)
        connection.session.lastInteraction = now
        connection.output.compact()
        defer { endPipelineHold() }
        // Owners the prefetch pass found name keys in `region`: they live as long as this pass.
        return KeyOwnerHints.with { hints in
            var used = 0
            var prefetched = 0
            while !connection.closing && used < region.count {
                if used >= prefetched && region.count - used >= Self.prefetchBytes {
                    prefetched = prefetchKeys(in: region, from: used, for: connection, hints: &hints)
                }
                let frame = UnsafeMutableRawBufferPointer(rebasing: region[used...])
                let outcome: RequestParser.Outcome
                if connection.waitingFrame > 0 {
                    outcome = .command(consumed: connection.waitingFrame)  // parsed before; its arguments are still there
                    connection.waitingFrame = 0
                } else {
                    connection.parser.isUnauthenticated = executor.mustAuthenticate(connection.session)
                    outcome = connection.parser.parse(frame)
                }
                switch outcome {
                case .incomplete:
                    return used
                case .empty(let consumed):
                    used += consumed
                case .command(let consumed):
                    let deepPipeline = region.count - used - consumed >= Self.deepPipelineBytes
                    guard execute(connection, frame: frame, deepPipeline: deepPipeline, hints: &hints) else {
                        // Its turn comes when the forwarded replies are back or the pause
                        // ends; it is not parsed again (an inline command's quoting was
                        // undone in place).
                        connection.waitingFrame = consumed
                        return used
                    }
                    used += consumed
                    if connection.session.closeAfterReply { connection.beginClosing(flush: true) }
                case .error(let error):
                    connection.output.append(UInt8(ascii: "-"))
                    connection.output.append(error.message)
                    connection.output.append("\r\n")
                    logger.info("Protocol error (\(String(decoding: error.message, as: UTF8.self))) from client: id=\(connection.session.id) addr=\(connection.peerAddress)")
                    connection.parser.reset()
                    connection.beginClosing(flush: true)
                    return region.count
                }
            }
            return used
        }
    }

    /// Fewest bytes of requests worth prefetching the keys of (`Shard+Prefetch`): a batch
    /// overlaps nothing unless it holds two requests, and peeking costs about 200
    /// instructions a request, so a lone request (pipeline 1) is not peeked at.
    static let prefetchBytes = 128

    /// Requests still waiting behind a command that make a pipeline deep enough to run under
    /// one hold of every shard rather than hop by hop (`Shard+Routing`): a bulk load
    /// (redis-cli --pipe) is; sixteen short commands are not (the hold's hand-offs would cost
    /// more than forwarding them).
    static let deepPipelineBytes = 4096

    /// Sizes the query buffer for a large argument being received and queues the connection
    /// for the end-of-turn flush.
    private func afterRequests(_ connection: Connection) {
        let input = connection.input
        if !connection.closing && input.readableBytes > 0 {
            let needed = connection.parser.bytesNeededHint
            if needed > input.readableBytes { input.ensureWritable(needed - input.readableBytes) }
        }
        markDirty(connection)
    }

    /// `client-query-buffer-limit`, checked as Redis checks it: right after a read, before the
    /// bytes are parsed, on what is pending — unparsed bytes plus `incoming` (the parsed
    /// arguments of an incomplete frame do not count). Closes the client when over.
    func exceedsQueryBufferLimit(_ connection: Connection, incoming: Int) -> Bool {
        let pending = connection.input.readableBytes - connection.parser.parsedBytes + incoming
        guard pending > server.config.clientQueryBufferLimit else { return false }
        logger.warning("Closing client that reached max query buffer length: id=\(connection.session.id) addr=\(connection.peerAddress) qbuf=\(pending)")
        connection.beginClosing(flush: false)
        markDirty(connection)
        return true
    }

    /// How much to read next: Redis's 16 KB, or the rest of a large argument in one go.
    func readSize(for connection: Connection) -> Int {
        max(16 * 1024, connection.parser.bytesNeededHint - connection.input.readableBytes)
    }

    /// Runs one parsed command, honouring CLIENT REPLY OFF/SKIP — or, with several shards,
    /// forwards it to the shard owning its keys (`hints`: the owners the prefetch pass found).
    /// False when the connection must first get its forwarded replies back (`Shard+Routing`),
    /// or wait for a pause to end (`Shard+Pause`).
    private func execute(
        _ connection: Connection, frame: UnsafeMutableRawBufferPointer, deepPipeline: Bool, hints: inout KeyOwnerHints
    ) -> Bool {
        let session = connection.session
        let output = connection.output
        let modeBefore = session.replyMode
        let replyStart = output.writerIndex
        var outcome = ShardedOutcome.ran
        // The spans stay valid while the command runs: only the next parse changes them.
        let args = Arguments(base: UnsafeRawPointer(frame.baseAddress!), spans: connection.parser.arguments)
        if pause != nil && holdsBack(connection, args) { return false }
        let reply = ReplyWriter(buffer: output, protocolVersion: session.protocolVersion)
        let context = CommandContext(args: args, reply: reply, store: store, session: session, executor: executor, host: self)
        if group.count == 1 {
            executor.execute(context)
        } else {
            outcome = executeSharded(context, for: connection, deepPipeline: deepPipeline, hints: &hints)
        }
        guard outcome == .ran else { return outcome == .forwarded }
        switch session.replyMode {
        case .off:
            output.truncate(to: replyStart)
        case .skipNext:
            output.truncate(to: replyStart)
            session.replyMode = .skipThis
        case .skipThis, .on:
            if modeBefore == .skipThis {
                output.truncate(to: replyStart)
                if session.replyMode == .skipThis { session.replyMode = .on }
            }
        }
        return true
    }
}
