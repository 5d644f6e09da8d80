import Engine
import RESP

/// What became of a command on a server of several shards.
enum ShardedOutcome {
    /// It ran here (alone or holding other shards); its reply is in the output.
    case ran
    /// It went to the shard owning its keys; the reply comes back later.
    case forwarded
    /// The connection waits for forwarded replies before this command may run.
    case waiting
}

/// Sends each command where its data is, on a server of several shards:
/// - commands without keys run on the client's shard;
/// - commands whose keys all live on one shard run there: here (on this shard's data or a
///   guest's, `ShardGroup`), here on the owner's data while its host sleeps
///   (`Shard+Borrowing`), or forwarded to the owner's host (`Shard+Forwarding`);
/// - commands whose keys span shards, and keyspace-wide ones, run here with the shards they
///   touch held (`Shard+Holding`).
/// A connection with forwarded commands outstanding runs nothing else until their replies are
/// back, except more commands for that same shard.
///
/// A deep pipeline (a bulk load) is different: once one of its commands needs another shard,
/// the rest of what the connection sent runs here with every shard held
/// (`holdsAllForPipeline`), one hold for the lot instead of a round trip each time the
/// pipeline changes shard.
extension Shard {
    /// - Parameters:
    ///   - deepPipeline: at least `deepPipelineBytes` of requests follow this one in what the
    ///     connection sent.
    ///   - hints: the owners of keys the prefetch pass hashed.
    func executeSharded(
        _ context: CommandContext, for connection: Connection, deepPipeline: Bool, hints: inout KeyOwnerHints
    ) -> ShardedOutcome {
        let args = context.args
        let resolution = table.resolve(args)
        guard case .command(let command) = resolution, executor.admits(command, connection.session) else {
            return refuse(resolution, context, for: connection)
        }
        if executor.queues(command, for: connection.session) {
            if connection.forwarded > 0 { return .waiting }
            _ = executor.queueInTransaction(command, context)
            return .ran
        }
        if holdsAllForPipeline {
            executor.run(command, context.spanning(group.partitions))
            return .ran
        }
        let keyOwners: KeyOwners
        switch group.routes[command] {
        case .clientShard:
            return runHere(command, context, for: connection)
        case .everyShard:
            return runHolding(group.allShardIDs, command, context, for: connection, deepPipeline: deepPipeline)
        case .key(let position):
            keyOwners = .one(position < args.count ? owner(of: args[position], hints: &hints) : id)
        case .keys(let first, let last, let step):
            keyOwners = owners(of: args, first: first, last: last, step: step, hints: &hints)
        case .transactionKeys:
            let holding: [Int]
            switch transactionOwners(of: connection.session, withQueued: command == executor.execID) {
            case .one(let owner) where owner == id && !deepPipeline:
                return runHere(command, context, for: connection)
            case .one(let owner):
                holding = deepPipeline ? group.allShardIDs : [owner]
            case .several(let owners):
                holding = deepPipeline ? group.allShardIDs : owners
            }
            return runHolding(holding, command, context, for: connection, deepPipeline: deepPipeline)
        }
        switch keyOwners {
        case .one(let owner) where owner == id:
            return runHere(command, context, for: connection)
        case .one(let owner) where storesHere[owner] != nil:
            // A guest's: this thread is the only one touching its data.
            return runHere(command, context.on(storesHere[owner].unsafelyUnwrapped), for: connection)
        case .one(let owner) where !(deepPipeline && connection.forwarded == 0):
            let host = group.host(of: owner)
            if connection.forwarded > 0 {
                if connection.forwardTarget != host { return .waiting }
            } else if runBorrowing(command, context, owner: owner) {
                return .ran
            }
            forward(args, from: connection, to: host)
            return .forwarded
        case .one:
            return runHolding(group.allShardIDs, command, context, for: connection, deepPipeline: deepPipeline)
        case .several(let owners):
            return runHolding(
                deepPipeline ? group.allShardIDs : owners, command, context, for: connection, deepPipeline: deepPipeline)
        }
    }

    /// A request that names no command this server runs as given (unknown, wrong arity), one
    /// the client may not run (before it authenticates, or as a monitor), or a protected one
    /// (DEBUG): its error is replied here, after any forwarded replies — or DEBUG, once the
    /// executor allows it, runs with every shard held.
    @inline(never)
    private func refuse(_ resolution: CommandTable.Resolution, _ context: CommandContext, for connection: Connection) -> ShardedOutcome {
        if connection.forwarded > 0 { return .waiting }
        if case .protected = resolution {
            // DEBUG: the executor's checks (protection, then authentication) reply any refusal.
            guard let command = executor.resolve(context) else { return .ran }
            if executor.queueInTransaction(command, context) { return .ran }
            if holdsAllForPipeline {
                executor.run(command, context.spanning(group.partitions))
            } else {
                withShardsHeld(group.allShardIDs) { executor.run(command, context.spanning(group.partitions)) }
            }
            return .ran
        }
        if case .wrongArity(let refused) = resolution, refused == executor.execID, !holdsAllForPipeline {
            // A refused EXEC still unwatches the client's keys.
            let owners = shardsToHold(transactionOwners(of: connection.session, withQueued: false))
            withShardsHeld(owners) { executor.execute(context.spanning(group.partitions)) }
            return .ran
        }
        executor.execute(holdsAllForPipeline ? context.spanning(group.partitions) : context)  // replies the error
        return .ran
    }

    /// Runs `command` with `holding` (not empty) held — or, in a deep pipeline, every shard,
    /// for the rest of the pipeline.
    @inline(never)
    private func runHolding(
        _ holding: [Int], _ command: Int, _ context: CommandContext, for connection: Connection, deepPipeline: Bool
    ) -> ShardedOutcome {
        if connection.forwarded > 0 { return .waiting }
        if deepPipeline {
            acquireHolds(group.allHostIDs)
            holdsAllForPipeline = true
            executor.run(command, context.spanning(group.partitions))
        } else {
            withShardsHeld(holding) { executor.run(command, context.spanning(group.partitions)) }
        }
        return .ran
    }

    /// Runs `command` on this thread without holding any shard (all its keys are this
    /// thread's), unless the connection still waits for forwarded replies.
    @inline(__always)
    private func runHere(_ command: Int, _ context: CommandContext, for connection: Connection) -> ShardedOutcome {
        if connection.forwarded > 0 { return .waiting }
        executor.run(command, context)
        return .ran
    }

    /// A client that disconnects while watching keys leaves the watch tables of the shards
    /// owning them, held for it as they would be for UNWATCH.
    func forgetWatches(of session: ClientSession) {
        guard !session.watchedKeys.isEmpty else { return }
        let unwatch = {
            TransactionCommands.unwatchAll(session) { self.group.partitions.keyspace(for: $1, database: $0) }
        }
        withShardsHeld(shardsToHold(transactionOwners(of: session, withQueued: false)), unwatch)
    }

    /// The shards to hold for keys with these owners: none when this shard owns them all.
    private func shardsToHold(_ owners: KeyOwners) -> [Int] {
        switch owners {
        case .one(let owner): owner == id ? [] : [owner]
        case .several(let owners): owners
        }
    }

    /// After a connection's requests: lets go of the shards a pipeline held.
    func endPipelineHold() {
        guard holdsAllForPipeline else { return }
        holdsAllForPipeline = false
        releaseHolds(group.allHostIDs)
    }

    private enum KeyOwners {
        case one(Int)
        /// Ascending, no repeats.
        case several([Int])
    }

    /// The shards owning the keys `session` watches and, `withQueued`, the keys of the commands
    /// its transaction queued (all shards if one of them is keyspace-wide).
    private func transactionOwners(of session: ClientSession, withQueued: Bool) -> KeyOwners {
        var owners = Set(session.watchedKeys.map { $0.key.withByteView { group.map.shard(of: $0) } })
        if withQueued, let transaction = session.transaction {
            for queued in transaction.commands {
                switch group.routes[queued.id] {
                case .clientShard, .transactionKeys:
                    continue
                case .everyShard:
                    return .several(group.allShardIDs)
                case .key(let position):
                    queued.arguments.withArguments { args in
                        if position < args.count { owners.insert(group.map.shard(of: args[position])) }
                    }
                case .keys(let first, let last, let step):
                    queued.arguments.withArguments { args in
                        for position in Self.keyPositions(in: args, first: first, last: last, step: step) {
                            owners.insert(group.map.shard(of: args[position]))
                        }
                    }
                }
            }
        }
        if owners.count <= 1 { return .one(owners.first ?? id) }
        return .several(owners.sorted())
    }

    /// The shards owning the keys at `first`, `first + step`… `last` (negative: from the end);
    /// the common single-owner case is decided without allocating, and the first key's owner
    /// is taken from `hints` when the prefetch pass found it.
    private func owners(of args: Arguments, first: Int, last: Int, step: Int, hints: inout KeyOwnerHints) -> KeyOwners {
        let end = Self.lastKeyPosition(in: args, last: last)
        guard first <= end else { return .one(id) }
        let firstOwner = owner(of: args[first], hints: &hints)
        if first == end { return .one(firstOwner) }
        let positions = stride(from: first, through: end, by: step)
        for position in positions.dropFirst() where group.map.shard(of: args[position]) != firstOwner {
            return .several(Set(positions.map { group.map.shard(of: args[$0]) }).sorted())
        }
        return .one(firstOwner)
    }

    /// The shard owning `key`: from `hints` when the prefetch pass found it, else hashed.
    @inline(__always)
    private func owner(of key: ByteView, hints: inout KeyOwnerHints) -> Int {
        hints.owner(of: key) ?? group.map.shard(of: key)
    }

    /// Where a command's keys are: `first`, `first + step`… up to `last` (negative: counted
    /// from the end), within the arguments given.
    private static func keyPositions(in args: Arguments, first: Int, last: Int, step: Int) -> StrideThrough<Int> {
        stride(from: first, through: lastKeyPosition(in: args, last: last), by: step)
    }

    /// Where the last key may be: `last`, counted from the end when negative, within the
    /// arguments given.
    private static func lastKeyPosition(in args: Arguments, last: Int) -> Int {
        last < 0 ? args.count + last : min(last, args.count - 1)
    }
}
