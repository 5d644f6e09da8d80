import RESP

/// Ferrite as a library: one shard's data and the command table, driven by calls instead of
/// sockets. `import Engine` and `run(["SET", "k", "v"])` to get Redis's exact reply bytes.
/// Also the fast layer of the test pyramid: command tests run here without a server.
public final class Engine {
    public let store: DataStore
    public let executor: CommandExecutor
    public let session: ClientSession
    private let output = OutputBuffer()

    public init(table: CommandTable = CommandTable(EngineCommands.all), databases: Int = 16, now: Int64 = 1_700_000_000_000) {
        store = DataStore(databaseCount: databases, now: now)
        executor = CommandExecutor(table: table)
        session = ClientSession(id: 1, now: now)
    }

    /// Runs one command and returns its reply as RESP bytes.
    public func run(_ arguments: [[UInt8]]) -> [UInt8] {
        precondition(!arguments.isEmpty, "a command needs a name")
        Arguments.with(arguments) { args in
            let reply = ReplyWriter(buffer: output, protocolVersion: session.protocolVersion)
            executor.execute(CommandContext(args: args, reply: reply, store: store, session: session, executor: executor, host: nil))
        }
        let bytes = output.readableArray
        output.consume(output.readableBytes)
        return bytes
    }

    /// `run` with string arguments.
    public func run(_ arguments: String...) -> [UInt8] { run(arguments.map { Array($0.utf8) }) }

    /// `run` with string arguments, reply as a String (tests).
    public func reply(_ arguments: String...) -> String {
        String(decoding: run(arguments.map { Array($0.utf8) }), as: UTF8.self)
    }
}

/// Every command family the engine implements. The server adds its own (INFO, CONFIG…).
public enum EngineCommands {
    public static var all: [CommandSpec] {
        ConnectionCommands.specs + StringCommands.specs + KeyCommands.specs + DatabaseCommands.specs
            + ClusterCommands.specs + TransactionCommands.specs
    }
}
