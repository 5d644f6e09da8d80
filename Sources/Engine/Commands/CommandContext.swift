import RESP

/// The host process, for the few commands that reach beyond the data (INFO, CONFIG, CLIENT,
/// SHUTDOWN). The server implements it; the in-process engine has none. Handlers that need it
/// cast to the server's concrete type — data commands never touch it, so the hot path has no
/// dynamic dispatch.
public protocol CommandHost: AnyObject {}

/// What a command handler gets: its arguments, where to reply, the shard's data, the client,
/// and the executor running it (EXEC runs the queued commands through it).
///
/// The references are `unowned(unsafe)`: a context lives only for one handler call, while
/// its creator holds the store, session and host, so counting references per request would be
/// pure overhead on the hot path. Handlers must not keep a context.
public struct CommandContext {
    public let args: Arguments
    public let reply: ReplyWriter
    public unowned(unsafe) let store: DataStore
    public unowned(unsafe) let session: ClientSession
    public unowned(unsafe) let executor: CommandExecutor
    public unowned(unsafe) let host: (any CommandHost)?
    /// Every shard's data when the command spans shards (all of them held), else nil: the
    /// command then touches only `store`, which owns all its keys.
    public unowned(unsafe) let partitions: StorePartitions?

    @inlinable
    public init(
        args: Arguments, reply: ReplyWriter, store: DataStore, session: ClientSession, executor: CommandExecutor,
        host: (any CommandHost)?, partitions: StorePartitions? = nil
    ) {
        self.args = args
        self.reply = reply
        self.store = store
        self.session = session
        self.executor = executor
        self.host = host
        self.partitions = partitions
    }

    /// This context, seeing every shard's data (the caller holds them all).
    @inlinable
    public func spanning(_ partitions: StorePartitions) -> CommandContext {
        CommandContext(
            args: args, reply: reply, store: store, session: session, executor: executor, host: host, partitions: partitions)
    }

    /// This context, for another command (one EXEC runs).
    @inlinable
    public func running(_ arguments: Arguments) -> CommandContext {
        CommandContext(
            args: arguments, reply: reply, store: store, session: session, executor: executor, host: host,
            partitions: partitions)
    }

    /// The client's selected database.
    @inlinable public var db: Database { database(session.databaseIndex) }

    /// Database `index` (COPY's DB, MOVE's target), across the shards the command spans.
    @inlinable
    public func database(_ index: Int) -> Database {
        Database(index: index, home: store.databases[index], partitions: partitions)
    }

    /// Each shard's store the command may touch: the running shard's, or every shard's.
    public var stores: [DataStore] { partitions?.stores ?? [store] }
    /// The time of this command, Unix milliseconds.
    @inlinable public var now: Int64 { store.now }
}
