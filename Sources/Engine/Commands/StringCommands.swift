import RESP

/// PLACEHOLDER — being written.
public enum StringCommands {
    public static let specs: [CommandSpec] = []
}
