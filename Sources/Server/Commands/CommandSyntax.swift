/// Turns a command's `syntax` (Redis's documentation notation, e.g.
/// `key value [NX | XX] [EX seconds | PX milliseconds]`) into the argument tree COMMAND DOCS
/// returns, which redis-cli turns back into its interactive hints.
///
/// Grammar: words separated by blanks; `[ … ]` optional; `a | b` alternatives (one of);
/// `[x ...]` after `x` means "x may repeat"; an UPPERCASE word is a token — alone a pure token,
/// followed by a lowercase word a token with a value (`EX seconds`), followed by alternatives a
/// token introducing one of them (`TYPE NORMAL | MASTER`).
struct CommandArgument: Equatable {
    enum Kind: String {
        case key, string, integer, double, pureToken = "pure-token", oneOf = "oneof", block, unixTime = "unix-time"
    }

    var name: String
    var kind: Kind
    var token: String? = nil
    var optional = false
    var multiple = false
    var arguments: [CommandArgument] = []
}

enum CommandSyntax {
    static func parse(_ syntax: String) -> [CommandArgument] {
        var parser = Parser(tokens: tokenize(syntax))
        return parser.alternatives(until: nil).flattened
    }

    static func tokenize(_ syntax: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        for character in syntax {
            if character == "[" || character == "]" || character == "|" || character == " " {
                if !word.isEmpty { tokens.append(word) }
                word = ""
                if character != " " { tokens.append(String(character)) }
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }

    /// An UPPERCASE word (letters, digits, dashes, underscores) is a literal token.
    static func isToken(_ word: String) -> Bool {
        word.contains { $0.isUppercase } && word.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// The value type a word names.
    static func kind(of name: String) -> CommandArgument.Kind {
        switch name {
        case "key", "destination", "source", "newkey", "key1", "key2": return .key
        case "unix-time-seconds", "unix-time-milliseconds": return .unixTime
        case "seconds", "milliseconds", "count", "offset", "start", "end", "index", "db", "destination-db",
            "numkeys", "cursor", "decrement", "protover", "client-id", "len", "min-match-len", "timeout":
            return .integer
        case "increment": return .integer
        default: return .string
        }
    }

    /// The result of parsing a bracket's or the whole string's content.
    enum Parsed {
        case sequence([CommandArgument])
        case oneOf([CommandArgument])

        var flattened: [CommandArgument] {
            switch self {
            case .sequence(let arguments): return arguments
            case .oneOf(let choices): return [CommandArgument(name: choices.map(\.name).joined(separator: "-or-"), kind: .oneOf, arguments: choices)]
            }
        }
    }

    struct Parser {
        let tokens: [String]
        var position = 0

        init(tokens: [String]) { self.tokens = tokens }

        var peek: String? { position < tokens.count ? tokens[position] : nil }

        mutating func alternatives(until end: String?) -> Parsed {
            var choices: [[CommandArgument]] = [sequence(until: end)]
            while peek == "|" {
                position += 1
                choices.append(sequence(until: end))
            }
            if peek == end, end != nil { position += 1 }
            guard choices.count > 1 else { return .sequence(choices[0]) }
            // `TOKEN A | B | C`: the token introduces the choice.
            if choices[0].count == 2, choices[0][0].kind == .pureToken, choices.dropFirst().allSatisfy({ $0.count == 1 }) {
                let token = choices[0][0]
                let options = [choices[0][1]] + choices.dropFirst().map { $0[0] }
                return .sequence([CommandArgument(name: token.name, kind: .oneOf, token: token.token, arguments: options)])
            }
            return .oneOf(choices.map { $0.count == 1 ? $0[0] : CommandArgument(name: $0.map(\.name).joined(separator: "-"), kind: .block, arguments: $0) })
        }

        mutating func sequence(until end: String?) -> [CommandArgument] {
            var items: [CommandArgument] = []
            while let token = peek, token != "|", token != end, token != "]" {
                position += 1
                if token == "..." {
                    if !items.isEmpty { items[items.count - 1].multiple = true }
                    continue
                }
                if token == "[" {
                    let inner = alternatives(until: "]").flattened
                    if let last = inner.last, last.multiple, let previous = items.last,
                        inner.count == 1, previous.name == last.name
                    {
                        items[items.count - 1].multiple = true  // `x [x ...]`
                        continue
                    }
                    if inner.count == 1 {
                        var argument = inner[0]
                        argument.optional = true
                        items.append(argument)
                    } else if !inner.isEmpty {
                        items.append(CommandArgument(name: inner.map(\.name).joined(separator: "-"), kind: .block, optional: true, arguments: inner))
                    }
                    continue
                }
                if CommandSyntax.isToken(token) {
                    if let next = peek, !CommandSyntax.isToken(next), !["[", "]", "|", "..."].contains(next) {
                        position += 1
                        items.append(CommandArgument(name: next, kind: CommandSyntax.kind(of: next), token: token))
                    } else {
                        items.append(CommandArgument(name: token.lowercased(), kind: .pureToken, token: token))
                    }
                } else {
                    items.append(CommandArgument(name: token, kind: CommandSyntax.kind(of: token)))
                }
            }
            return items
        }
    }
}
