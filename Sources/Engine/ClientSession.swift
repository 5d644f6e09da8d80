/// Per-connection state that commands read and change: selected database, protocol version,
/// name, and what to do after the reply. Owned by the connection and used on its shard's
/// thread — or by the shard running a command forwarded from it, while the connection waits
/// for that reply and runs nothing else.
public final class ClientSession {
    public let id: Int64
    /// "ip:port" of the client ("path:0" on a Unix socket): CLIENT LIST's `addr`, SLOWLOG's peer.
    public let peerAddress: String
    /// Redis's `islocalClient`: the client came through a Unix socket, or from 127.0.0.1 or
    /// ::1 exactly (`enable-debug-command local`). True for an in-process session.
    public let isLocal: Bool
    public var databaseIndex = 0
    public var protocolVersion = 2
    public var name: [UInt8] = []
    /// Set by QUIT (and protocol errors): flush the reply, then close.
    public var closeAfterReply = false
    /// CLIENT REPLY OFF|SKIP state.
    public var replyMode: ReplyMode = .on
    /// CLIENT NO-EVICT.
    public var noEvict = false
    /// Whether the client may run commands when the default user requires a password: true
    /// for a connection made while it required none, or after AUTH or HELLO AUTH succeeded
    /// (Redis's `c->authenticated`). Setting `requirepass` later leaves it true.
    public var isAuthenticated = true { didSet { refreshAdmission() } }
    /// MONITOR: the connection is sent every command the server runs, and may no longer run
    /// commands that read or write keys (Redis's CLIENT_MONITOR, a kind of replica).
    public var isMonitor = false { didSet { refreshAdmission() } }
    /// False while one of the two above restricts what the client may run: the one test
    /// `CommandExecutor` makes of every command before its slower checks.
    public private(set) var admitsEveryCommand = true

    private func refreshAdmission() { admitsEveryCommand = isAuthenticated && !isMonitor }
    /// Creation time and last command time, in milliseconds since the epoch.
    public var createdAt: Int64
    public var lastInteraction: Int64
    /// The last command's id in the command table (CLIENT LIST's `cmd=`), -1 before any.
    public var lastCommandID = -1
    /// Between MULTI and EXEC or DISCARD: the commands queued so far.
    public var transaction: Transaction?
    /// The keys WATCH registered, each in the watch table of the database (and shard) holding it.
    public var watchedKeys: [WatchedKey] = []
    /// Raised by a change to any of `watchedKeys`.
    public let watchFlag = WatchFlag()

    public enum ReplyMode: Sendable {
        case on, off, skipNext, skipThis
    }

    /// Connected through the server's Unix socket (MONITOR names such clients by the socket).
    public let isUnixSocket: Bool

    public init(id: Int64, now: Int64, peerAddress: String = "", isUnixSocket: Bool = false, isLocal: Bool = true) {
        self.id = id
        self.peerAddress = peerAddress
        self.isUnixSocket = isUnixSocket
        self.isLocal = isLocal
        self.createdAt = now
        self.lastInteraction = now
    }
}
