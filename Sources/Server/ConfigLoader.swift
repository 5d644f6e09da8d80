import Engine
import Foundation
import RESP

/// Reads the configuration the way `redis-server` does: an optional file path as the first
/// argument, then `--name value…` flags appended as if they were more lines of that file.
/// Any bad line stops start-up with its line number and the reason (`ConfigLoadError`).
public enum ConfigLoader {
    public static func load(arguments: [String]) throws(ConfigLoadError) -> ServerConfig {
        var config = ServerConfig()
        var lines: [String] = []
        var rest = arguments.dropFirst()
        if let first = rest.first, !first.hasPrefix("--") {
            rest = rest.dropFirst()
            let contents: String
            if first == "-" {
                contents = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let text = try? String(contentsOfFile: first, encoding: .utf8) else {
                    throw ConfigLoadError(line: 0, text: first, reason: "Fatal error, can't open config file '\(first)': No such file or directory")
                }
                contents = text
                config.configFile = first.hasPrefix("/") ? first : FileManager.default.currentDirectoryPath + "/" + first
            }
            // By bytes: as Characters, "\r\n" is one and would not split at "\n".
            lines = contents.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
        }
        // Redis appends the flags after a newline, so without a file the first flag is line 2.
        let flags = flagLines(Array(rest))
        if lines.isEmpty && !flags.isEmpty { lines = [""] }
        lines += flags
        for (index, line) in lines.enumerated() {
            try apply(line: line, number: index + 1, to: &config)
        }
        return config
    }

    /// `--port 6380 --bind a b` → ["port 6380", "bind a b"]. Values are quoted so that empty
    /// strings (`--save ''`) survive the line splitter.
    static func flagLines(_ arguments: [String]) -> [String] {
        var lines: [String] = []
        for argument in arguments {
            if argument.hasPrefix("--") && argument.count > 2 {
                lines.append(String(argument.dropFirst(2)))
            } else if lines.isEmpty {
                lines.append(quote(argument))
            } else {
                lines[lines.count - 1] += " " + quote(argument)
            }
        }
        return lines
    }

    static func quote(_ value: String) -> String {
        var quoted = "\""
        for character in value.unicodeScalars {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted.unicodeScalars.append(character)
            }
        }
        return quoted + "\""
    }

    static func apply(line rawLine: String, number: Int, to config: inout ServerConfig) throws(ConfigLoadError) {
        let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty || line.hasPrefix("#") { return }
        guard let words = InlineSplitter.split(line: Array(line.utf8)) else {
            throw ConfigLoadError(line: number, text: line, reason: "Unbalanced quotes in configuration line")
        }
        let name = String(decoding: words[0], as: UTF8.self).lowercased()
        var values = words.dropFirst().map { String(decoding: $0, as: UTF8.self) }
        guard let parameter = ConfigParameter.named(name), !values.isEmpty, parameter.variadic || values.count == 1 else {
            throw ConfigLoadError(line: number, text: line, reason: "Bad directive or wrong number of arguments")
        }
        // A many-valued directive given one non-empty value splits it as a line (Redis's
        // `loadServerConfigFromString`), so `--bind "10.0.0.1 127.0.0.1"` names two addresses.
        if parameter.variadic && values.count == 1 && !values[0].isEmpty {
            guard let split = InlineSplitter.split(line: Array(values[0].utf8)) else {
                throw ConfigLoadError(line: number, text: line, reason: "Unbalanced quotes in configuration line")
            }
            values = split.map { String(decoding: $0, as: UTF8.self) }
        }
        do {
            try parameter.set(&config, values)
        } catch {
            throw ConfigLoadError(line: number, text: line, reason: error.description)
        }
    }
}

/// A configuration line that stops start-up; `report` prints it as Redis does.
public struct ConfigLoadError: Error, Sendable {
    public let line: Int
    public let text: String
    public let reason: String

    public var report: String {
        if line == 0 { return reason }
        return """

            *** FATAL CONFIG FILE ERROR (Ferrite \(ServerIdentity.ferriteVersion)) ***
            Reading the configuration file, at line \(line)
            >>> '\(text)'
            \(reason)
            """
    }
}
