import RESP

/// The Redis data type of a stored value (TYPE's answer). Raw values are stored in records:
/// never renumber them.
public enum ValueType: UInt8, Sendable {
    case string = 0

    /// TYPE's reply.
    public var name: StaticString {
        switch self {
        case .string: return "string"
        }
    }
}

/// How a string value is held, as OBJECT ENCODING reports it. Redis picks `int` for canonical
/// 64-bit integers, `embstr` for other strings of at most 44 bytes written whole (SET), and
/// `raw` for longer strings and anything modified in place (APPEND, SETRANGE).
public enum StringEncoding: UInt8, Sendable {
    case int = 0
    case embstr = 1
    case raw = 2

    /// Redis's `OBJ_ENCODING_EMBSTR_SIZE_LIMIT`.
    public static let embeddedLimit = 44

    public var name: StaticString {
        switch self {
        case .int: return "int"
        case .embstr: return "embstr"
        case .raw: return "raw"
        }
    }
}

/// How `Keyspace.setString` holds a value, when the natural choice (`int` for a canonical
/// integer Redis would share in 0…9999, `embstr` up to 44 bytes, else `raw`) is not wanted:
/// RENAME and MOVE keep the value's form, and COPY makes small integers private, as Redis's
/// `dupStringObject` does.
public enum StoredForm: Sendable {
    case natural
    /// Bytes stored `raw` whatever their length.
    case raw
    /// An integer held as its own object, never a shared one (OBJECT REFCOUNT 1).
    case unsharedInteger
}

/// A string value as commands see it: an integer for `int` encoding, bytes otherwise.
public enum StringValue {
    case integer(Int64)
    case bytes(ByteView)
}

/// What a write does to the key's time to live.
public enum ExpiryChange: Sendable, Equatable {
    /// Keep the current TTL (KEEPTTL, APPEND, INCR…).
    case keep
    /// Make the key persistent (a plain SET).
    case clear
    /// Expire at this absolute Unix time in milliseconds.
    case at(Int64)
}
