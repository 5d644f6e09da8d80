import RESP

/// PLACEHOLDER — being written.
public enum DatabaseCommands {
    public static let specs: [CommandSpec] = []
}
