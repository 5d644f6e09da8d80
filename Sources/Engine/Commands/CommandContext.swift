import RESP

/// The host process, for the few commands that reach beyond the data (INFO, CONFIG, CLIENT,
/// SHUTDOWN). The server implements it; the in-process engine has none. Handlers that need it
/// cast to the server's concrete type — data commands never touch it, so the hot path has no
/// dynamic dispatch.
public protocol CommandHost: AnyObject {}

/// What a command handler gets: its arguments, where to reply, the shard's data, the client.
///
/// The references are `unowned(unsafe)`: a context lives only for one handler call, while
/// its creator holds the store, session and host, so counting references per request would be
/// pure overhead on the hot path. Handlers must not keep a context.
public struct CommandContext {
    public let args: Arguments
    public let reply: ReplyWriter
    public unowned(unsafe) let store: DataStore
    public unowned(unsafe) let session: ClientSession
    public unowned(unsafe) let host: (any CommandHost)?

    @inlinable
    public init(args: Arguments, reply: ReplyWriter, store: DataStore, session: ClientSession, host: (any CommandHost)?) {
        self.args = args
        self.reply = reply
        self.store = store
        self.session = session
        self.host = host
    }

    /// The client's selected database.
    @inlinable public var db: Keyspace { store.databases[session.databaseIndex] }
    /// The time of this command, Unix milliseconds.
    @inlinable public var now: Int64 { store.now }
}
