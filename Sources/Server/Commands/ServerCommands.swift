import Engine

/// Commands that need the server process rather than one shard's data.
enum ServerCommands {
    static var specs: [CommandSpec] { [] }
}
