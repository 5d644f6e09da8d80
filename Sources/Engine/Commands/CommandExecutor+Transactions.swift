/// MULTI's queueing and EXEC's run, as Redis's `processCommand` and `execCommand` do them.
extension CommandExecutor {
    /// Inside MULTI, queues command `id` and replies QUEUED — or, for a command not allowed in
    /// a transaction, replies the error and dooms it. Either way CLIENT LIST shows it as the
    /// client's last command. False when the client is not in MULTI or
    /// the command runs at once anyway (EXEC DISCARD MULTI WATCH QUIT).
    public func queueInTransaction(_ id: Int, _ context: CommandContext) -> Bool {
        guard context.withSession({ queues(id, for: $0) }) else { return false }
        context.session.lastCommandID = id
        if table.commands[id].spec.flags.contains(.noMulti) {
            context.session.transaction!.isDoomed = true
            statistics.rejectedCalls[id] += 1
            statistics.errorReplies[Self.genericErrorCode, default: 0] += 1
            context.reply.error("ERR Command not allowed inside a transaction")
            return true
        }
        context.session.transaction!.append(id, context.args)
        context.reply.simple("QUEUED")
        return true
    }

    /// EXEC itself refused (wrong arity): the transaction, if any, is discarded and the keys
    /// unwatched, MULTI or not (Redis's `execCommandAbort`).
    func abortTransaction(because reason: String, _ context: CommandContext) {
        context.session.transaction = nil
        TransactionCommands.unwatchAll(context)
        statistics.errorReplies[Self.execAbortCode, default: 0] += 1
        context.reply.error("EXECABORT Transaction discarded because of: \(reason)")
    }

    static let execAbortCode = Array("EXECABORT".utf8)

    /// Whether command `id` from `session` would be queued (or refused) rather than run.
    /// Inlinable: a sharded server asks it of every request before routing it.
    @inlinable
    public func queues(_ id: Int, for session: ClientSession) -> Bool {
        session.transaction != nil && !runsInTransaction[id]
    }

    /// Runs the queued commands of `transaction` in order, each reply an element of the array
    /// EXEC answers; each is counted as a call of its own.
    func runQueued(_ transaction: Transaction, _ context: CommandContext) {
        context.reply.arrayHeader(transaction.commands.count)
        for command in transaction.commands {
            command.arguments.withArguments { args in run(command.id, context.running(args), queued: true) }
        }
    }
}
