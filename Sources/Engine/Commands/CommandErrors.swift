/// Redis's shared error replies, byte for byte (Redis `server.c` `createSharedObjects`).
public enum CommandError {
    public static let wrongType: StaticString = "WRONGTYPE Operation against a key holding the wrong kind of value"
    public static let notInteger: StaticString = "ERR value is not an integer or out of range"
    public static let notFloat: StaticString = "ERR value is not a valid float"
    public static let syntax: StaticString = "ERR syntax error"
    public static let noSuchKey: StaticString = "ERR no such key"
    public static let outOfRange: StaticString = "ERR index out of range"
    public static let overflow: StaticString = "ERR increment or decrement would overflow"
    public static let dbIndexOutOfRange: StaticString = "ERR DB index is out of range"
}
