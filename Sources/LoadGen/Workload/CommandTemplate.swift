/// One `--command`: the words of an arbitrary command in which `__key__` and `__data__` stand
/// for the generated key and value, with the share of requests it gets (`--command-ratio`)
/// and the key pattern it draws keys with (`--command-key-pattern`).
public struct CommandTemplate: Sendable, Equatable {
    public enum Word: Sendable, Equatable {
        case literal([UInt8])
        case key
        case data
    }

    public let words: [Word]
    public var ratio: Int
    public var keyPattern: KeyPattern
    /// The command's name as the table and JSON show it: "INCR" → "Incrs".
    public let typeName: String
    /// The command's name upper-cased, as memtier names its .hgrm files.
    public let upperName: String

    /// Splits `text` on spaces (double quotes group words, as memtier's parser does).
    public init(_ text: String, ratio: Int = 1, keyPattern: KeyPattern = .random) throws(ConfigError) {
        var words: [Word] = []
        var current: [UInt8] = []
        var inQuotes = false
        var pending = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
                pending = true
            } else if byte == UInt8(ascii: " ") && !inQuotes {
                if pending || !current.isEmpty { words.append(Self.word(current)) }
                current.removeAll()
                pending = false
            } else {
                current.append(byte)
            }
        }
        if inQuotes { throw ConfigError("--command '\(text)': unbalanced quotes") }
        if pending || !current.isEmpty { words.append(Self.word(current)) }
        guard case .literal(let name)? = words.first else {
            throw ConfigError("--command '\(text)': the command needs a name")
        }
        self.words = words
        self.ratio = ratio
        self.keyPattern = keyPattern
        let upper = String(decoding: name, as: UTF8.self).uppercased()
        self.upperName = upper
        self.typeName = upper.prefix(1) + upper.dropFirst().lowercased() + "s"
    }

    private static func word(_ bytes: [UInt8]) -> Word {
        switch bytes {
        case Array("__key__".utf8): .key
        case Array("__data__".utf8): .data
        default: .literal(bytes)
        }
    }
}

/// How a connection picks key ids within [key-minimum, key-maximum].
public enum KeyPattern: Sendable, Equatable {
    /// S: each connection walks the range in order, wrapping around.
    case sequential
    /// R: uniformly random.
    case random
    /// G: normal around `--key-median` with `--key-stddev`, clamped to the range.
    case gaussian
    /// P: the range is split into one contiguous slice per connection, walked in order.
    case parallel
    /// Z: Zipf with exponent `--key-zipf-exp`; key-minimum is the most frequent key.
    case zipf

    init(letter: Substring, flag: String) throws(ConfigError) {
        switch letter {
        case "S": self = .sequential
        case "R": self = .random
        case "G": self = .gaussian
        case "P": self = .parallel
        case "Z": self = .zipf
        default: throw ConfigError("\(flag): '\(letter)' is not a key pattern (S, R, G, P or Z)")
        }
    }

    public var letter: String {
        switch self {
        case .sequential: "S"
        case .random: "R"
        case .gaussian: "G"
        case .parallel: "P"
        case .zipf: "Z"
        }
    }
}
