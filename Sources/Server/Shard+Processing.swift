import Engine
import RESP

extension Shard {
    /// Parses and executes every complete request in `connection`'s query buffer, appending
    /// replies to its output buffer. Stops at an incomplete frame, a protocol error or QUIT.
    /// Called by the event loop after bytes arrive; marks the connection dirty for the flush.
    func process(_ connection: Connection) {
        let now = Clock.milliseconds()
        store.now = now
        connection.session.lastInteraction = now
        connection.output.compact()
        let input = connection.input
        while !connection.closing && input.readableBytes > 0 {
            let frame = input.unparsed
            switch connection.parser.parse(frame) {
            case .incomplete:
                if input.readableBytes > server.config.clientQueryBufferLimit {
                    logger.warning("Closing client that reached max query buffer length: id=\(connection.session.id) addr=\(connection.peerAddress) qbuf=\(input.readableBytes)")
                    connection.beginClosing(flush: false)
                } else {
                    let needed = connection.parser.bytesNeededHint
                    if needed > input.readableBytes { input.ensureWritable(needed - input.readableBytes) }
                }
                markDirty(connection)
                return
            case .empty(let consumed):
                input.consume(consumed)
            case .command(let consumed):
                execute(connection, frame: frame)
                input.consume(consumed)
                if connection.session.closeAfterReply { connection.beginClosing(flush: true) }
            case .error(let error):
                connection.output.append(UInt8(ascii: "-"))
                connection.output.append(error.message)
                connection.output.append("\r\n")
                logger.info("Protocol error (\(String(decoding: error.message, as: UTF8.self))) from client: id=\(connection.session.id) addr=\(connection.peerAddress)")
                connection.parser.reset()
                connection.beginClosing(flush: true)
            }
        }
        markDirty(connection)
    }

    /// Runs one parsed command, honouring CLIENT REPLY OFF/SKIP.
    private func execute(_ connection: Connection, frame: UnsafeMutableRawBufferPointer) {
        let session = connection.session
        let output = connection.output
        let modeBefore = session.replyMode
        let replyStart = output.writerIndex
        connection.parser.arguments.withUnsafeBufferPointer { spans in
            let args = Arguments(base: UnsafeRawPointer(frame.baseAddress!), spans: spans)
            let reply = ReplyWriter(buffer: output, protocolVersion: session.protocolVersion)
            executor.execute(CommandContext(args: args, reply: reply, store: store, session: session, host: self))
        }
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
    }
}
