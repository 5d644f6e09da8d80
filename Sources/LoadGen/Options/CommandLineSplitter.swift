/// Takes memtier's order-dependent `--command` options out of a command line: each
/// `--command-ratio` and `--command-key-pattern` belongs to the `--command` before it, which a
/// declarative parser cannot express. What remains goes to `BenchmarkArguments`.
struct CommandLineSplitter {
    private(set) var remaining: [String] = []
    private(set) var commands: [CommandTemplate] = []

    init(_ arguments: [String]) throws(ConfigError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard let (name, inlineValue) = Self.commandOption(argument) else {
                remaining.append(argument)
                if argument == "--" {
                    remaining.append(contentsOf: arguments[index...])
                    break
                }
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                throw ConfigError("--\(name) needs a value")
            }
            switch name {
            case "command":
                commands.append(try CommandTemplate(value))
            case "command-ratio":
                guard !commands.isEmpty else { throw ConfigError("--command-ratio must follow a --command") }
                guard let ratio = Int(value), ratio >= 0 else {
                    throw ConfigError("--command-ratio: '\(value)' is not a non-negative integer")
                }
                commands[commands.count - 1].ratio = ratio
            default:
                guard !commands.isEmpty else { throw ConfigError("--command-key-pattern must follow a --command") }
                commands[commands.count - 1].keyPattern = try KeyPattern(letter: Substring(value), flag: "--command-key-pattern")
            }
        }
    }

    /// ("command", "GET __key__") for `--command=GET __key__`, ("command", nil) for `--command`.
    private static func commandOption(_ argument: String) -> (String, String?)? {
        for name in ["command", "command-ratio", "command-key-pattern"] {
            if argument == "--\(name)" { return (name, nil) }
            if argument.hasPrefix("--\(name)=") { return (name, String(argument.dropFirst(name.count + 3))) }
        }
        return nil
    }
}
