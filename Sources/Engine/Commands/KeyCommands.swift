import RESP

/// PLACEHOLDER — being written.
public enum KeyCommands {
    public static let specs: [CommandSpec] = []
}
