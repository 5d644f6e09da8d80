import RESP

/// The host process, for the few commands that reach beyond the data (INFO, CONFIG, CLIENT,
/// SHUTDOWN). The server implements it; the in-process engine has none. Handlers that need it
/// cast to the server's concrete type — data commands never touch it, so the hot path has no
/// dynamic dispatch.
public protocol CommandHost: AnyObject {}

/// What a command handler gets: its arguments, where to reply, the shard's data, the client,
/// and the executor running it (EXEC runs the queued commands through it).
///
/// The references are held unretained: a context lives only for one handler call, while its
/// creator holds the store, session and host, so counting references per request would be pure
/// overhead on the hot path. What every command reads (`db`, `now`, `withStore`,
/// `withSession`) borrows them without reference counting; `store`, `session` and `executor`
/// hand out the object itself (a retain and a release around each use) for the colder paths.
/// Handlers must not keep a context.
public struct CommandContext {
    public let args: Arguments
    public let reply: ReplyWriter
    @usableFromInline let unretainedStore: Unmanaged<DataStore>
    @usableFromInline let unretainedSession: Unmanaged<ClientSession>
    @usableFromInline let unretainedExecutor: Unmanaged<CommandExecutor>
    public unowned(unsafe) let host: (any CommandHost)?
    /// Every shard's data when the command spans shards (all of them held), else nil: the
    /// command then touches only `store`, which owns all its keys.
    @usableFromInline let unretainedPartitions: Unmanaged<StorePartitions>?

    @inlinable
    public init(
        args: Arguments, reply: ReplyWriter, store: DataStore, session: ClientSession, executor: CommandExecutor,
        host: (any CommandHost)?, partitions: StorePartitions? = nil
    ) {
        self.init(
            args: args, reply: reply, store: .passUnretained(store), session: .passUnretained(session),
            executor: .passUnretained(executor), host: host, partitions: partitions.map { .passUnretained($0) })
    }

    @inlinable
    init(
        args: Arguments, reply: ReplyWriter, store: Unmanaged<DataStore>, session: Unmanaged<ClientSession>,
        executor: Unmanaged<CommandExecutor>, host: (any CommandHost)?, partitions: Unmanaged<StorePartitions>?
    ) {
        self.args = args
        self.reply = reply
        unretainedStore = store
        unretainedSession = session
        unretainedExecutor = executor
        self.host = host
        unretainedPartitions = partitions
    }

    public var store: DataStore { unretainedStore.takeUnretainedValue() }
    public var session: ClientSession { unretainedSession.takeUnretainedValue() }
    public var executor: CommandExecutor { unretainedExecutor.takeUnretainedValue() }
    public var partitions: StorePartitions? { unretainedPartitions?.takeUnretainedValue() }

    /// Runs `body` with the shard's store borrowed (no reference counting).
    @inlinable
    public func withStore<R>(_ body: (DataStore) -> R) -> R { unretainedStore._withUnsafeGuaranteedRef(body) }

    /// Runs `body` with the client's session borrowed (no reference counting).
    @inlinable
    public func withSession<R>(_ body: (ClientSession) -> R) -> R { unretainedSession._withUnsafeGuaranteedRef(body) }

    /// Keeps argument `index` out of SLOWLOG (shown as "(redacted)"): a secret such as a password.
    public func redactArgument(_ index: Int) {
        guard index < 64 else { return }
        unretainedExecutor._withUnsafeGuaranteedRef { $0.redactedArguments |= 1 << UInt64(index) }
    }

    /// This context, seeing every shard's data (the caller holds them all).
    @inlinable
    public func spanning(_ partitions: StorePartitions) -> CommandContext {
        CommandContext(
            args: args, reply: reply, store: unretainedStore, session: unretainedSession, executor: unretainedExecutor,
            host: host, partitions: .passUnretained(partitions))
    }

    /// This context on another shard's store, which owns all the command's keys: the thread
    /// that serves that shard runs it as that shard would.
    @inlinable
    public func on(_ store: DataStore) -> CommandContext {
        CommandContext(
            args: args, reply: reply, store: .passUnretained(store), session: unretainedSession,
            executor: unretainedExecutor, host: host, partitions: unretainedPartitions)
    }

    /// This context, for another command (one EXEC runs).
    @inlinable
    public func running(_ arguments: Arguments) -> CommandContext {
        CommandContext(
            args: arguments, reply: reply, store: unretainedStore, session: unretainedSession,
            executor: unretainedExecutor, host: host, partitions: unretainedPartitions)
    }

    /// The client's selected database.
    @inlinable public var db: Database { database(withSession { $0.databaseIndex }) }

    /// Database `index` (COPY's DB, MOVE's target), across the shards the command spans.
    @inlinable
    public func database(_ index: Int) -> Database {
        Database(index: index, home: withStore { $0.unretainedDatabase(index) }, partitions: unretainedPartitions)
    }

    /// Each shard's store the command may touch: the running shard's, or every shard's.
    public var stores: [DataStore] { partitions?.stores ?? [store] }
    /// The time of this command, Unix milliseconds.
    @inlinable public var now: Int64 { withStore { $0.now } }
}
