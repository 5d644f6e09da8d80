/// One configuration directive: its name, how to parse and print it, and whether CONFIG SET
/// may change it while the server runs. `all` is the single list used by the config file
/// parser, command-line flags, CONFIG GET (with glob patterns) and CONFIG SET.
public struct ConfigParameter: Sendable {
    public let name: String
    /// Changeable at run time with CONFIG SET.
    public let mutable: Bool
    let get: @Sendable (ServerConfig) -> String
    /// Applies the directive's arguments; throws a reason shown to the user.
    let set: @Sendable (inout ServerConfig, [String]) throws(ConfigError) -> Void
    /// Number of arguments accepted: a single value unless `variadic`.
    let variadic: Bool
    /// How CONFIG REWRITE writes it (`rewriteLine`).
    let rewriteForm: RewriteForm
    /// A secret (Redis's `SENSITIVE_CONFIG`): CONFIG SET keeps its value out of SLOWLOG.
    let sensitive: Bool

    init(
        _ name: String, mutable: Bool, variadic: Bool = false, rewriteForm: RewriteForm = .plain, sensitive: Bool = false,
        get: @escaping @Sendable (ServerConfig) -> String,
        set: @escaping @Sendable (inout ServerConfig, [String]) throws(ConfigError) -> Void
    ) {
        self.name = name
        self.mutable = mutable
        self.variadic = variadic
        self.rewriteForm = rewriteForm
        self.sensitive = sensitive
        self.get = get
        self.set = set
    }

    /// The forms of Redis's `rewriteConfig…Option` functions.
    enum RewriteForm: Sendable {
        /// `name value`, the value as CONFIG GET shows it.
        case plain
        /// `name 512mb`: bytes in the largest unit that divides them.
        case memory
        /// `name "value"`, quoted as Redis quotes strings.
        case quoted
        /// Quoted, or left out when empty (a string Redis keeps as NULL when empty).
        case quotedUnlessEmpty
        /// Left out at its default, else `name a b` (bind).
        case list
        /// Always written, `name ""` when empty (save, latency-tracking-info-percentiles).
        case always
    }

    /// The line CONFIG REWRITE writes for this directive, and whether it must be written even
    /// where the file has no line for it (its value is not the default); nil when the file
    /// must have no line for it.
    func rewriteLine(_ config: ServerConfig) -> (line: String, forced: Bool)? {
        let value = get(config)
        let forced = value != get(ServerConfig())
        switch rewriteForm {
        case .plain: return ("\(name) \(value)", forced)
        case .memory: return ("\(name) \(Self.formatMemory(Int(value) ?? 0))", forced)
        case .quoted: return ("\(name) \(ConfigRewrite.quoted(value))", forced)
        case .quotedUnlessEmpty: return value.isEmpty ? nil : ("\(name) \(ConfigRewrite.quoted(value))", true)
        case .list: return forced ? ("\(name) \(value.isEmpty ? "\"\"" : value)", true) : nil
        case .always: return ("\(name) \(value.isEmpty ? "\"\"" : value)", true)
        }
    }

    /// Redis's `rewriteConfigFormatMemory`: gb, mb or kb when one divides the bytes.
    static func formatMemory(_ bytes: Int) -> String {
        for (unit, size) in [("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10)] where bytes != 0 && bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return String(bytes)
    }

    public static func named(_ name: String) -> ConfigParameter? {
        let lowered = name.lowercased()
        return all.first { $0.name == lowered }
    }

    // MARK: Value kinds

    /// An integer accepted within `range` and stored clamped into `clamp` (Redis takes `hz 0`
    /// and runs at 1).
    static func integer(
        _ name: String, mutable: Bool, range: ClosedRange<Int>, clamp: ClosedRange<Int>? = nil,
        _ keyPath: WritableKeyPath<ServerConfig, Int> & Sendable, memory: Bool = false
    ) -> ConfigParameter {
        ConfigParameter(
            name, mutable: mutable, rewriteForm: memory ? .memory : .plain, get: { String($0[keyPath: keyPath]) },
            set: { config, values throws(ConfigError) in
                let parsed = memory ? parseMemory(values[0]) : Int(values[0])
                guard let value = parsed else {
                    throw ConfigError(memory ? "argument must be a memory value" : "argument couldn't be parsed into an integer")
                }
                guard range.contains(value) else {
                    throw ConfigError("argument must be between \(range.lowerBound) and \(range.upperBound) inclusive")
                }
                config[keyPath: keyPath] = clamp.map { min(max(value, $0.lowerBound), $0.upperBound) } ?? value
            })
    }

    /// File permissions, written and shown in octal as Redis does (`unixsocketperm 700`).
    static func octal(_ name: String, mutable: Bool, _ keyPath: WritableKeyPath<ServerConfig, Int> & Sendable) -> ConfigParameter {
        ConfigParameter(
            name, mutable: mutable, get: { String($0[keyPath: keyPath], radix: 8) },
            set: { config, values throws(ConfigError) in
                // Redis's strtol takes an empty value as 0.
                guard let value = values[0].isEmpty ? 0 : Int(values[0], radix: 8) else {
                    throw ConfigError("argument couldn't be parsed as an octal number")
                }
                guard (0...0o777).contains(value) else { throw ConfigError("argument must be between 0 and 777 inclusive") }
                config[keyPath: keyPath] = value
            })
    }

    static func boolean(_ name: String, mutable: Bool, _ keyPath: WritableKeyPath<ServerConfig, Bool> & Sendable) -> ConfigParameter {
        ConfigParameter(
            name, mutable: mutable, get: { $0[keyPath: keyPath] ? "yes" : "no" },
            set: { config, values throws(ConfigError) in
                switch values[0].lowercased() {
                case "yes": config[keyPath: keyPath] = true
                case "no": config[keyPath: keyPath] = false
                default: throw ConfigError("argument must be 'yes' or 'no'")
                }
            })
    }

    /// A string; `omittedWhenEmpty` for one Redis keeps as NULL when empty, whose line CONFIG
    /// REWRITE then removes.
    static func string(
        _ name: String, mutable: Bool, omittedWhenEmpty: Bool = false, sensitive: Bool = false,
        _ keyPath: WritableKeyPath<ServerConfig, String> & Sendable
    ) -> ConfigParameter {
        ConfigParameter(
            name, mutable: mutable, rewriteForm: omittedWhenEmpty ? .quotedUnlessEmpty : .quoted, sensitive: sensitive,
            get: { $0[keyPath: keyPath] },
            set: { config, values throws(ConfigError) in config[keyPath: keyPath] = values[0] })
    }

    static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, mutable: Bool, _ keyPath: WritableKeyPath<ServerConfig, T> & Sendable
    ) -> ConfigParameter where T.RawValue == String {
        ConfigParameter(
            name, mutable: mutable, get: { $0[keyPath: keyPath].rawValue },
            set: { config, values throws(ConfigError) in
                guard let value = T(rawValue: values[0].lowercased()) else {
                    throw ConfigError("argument(s) must be one of the following: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                config[keyPath: keyPath] = value
            })
    }

    /// A directive Ferrite accepts with one value only, because the feature behind other values
    /// does not exist yet (persistence): asking for anything else fails loudly instead of
    /// silently doing nothing.
    static func fixed(_ name: String, value: String, reason: String, rewriteForm: RewriteForm = .plain) -> ConfigParameter {
        ConfigParameter(
            name, mutable: true, rewriteForm: rewriteForm, get: { _ in value },
            set: { _, values throws(ConfigError) in
                guard values.joined(separator: " ") == value else { throw ConfigError(reason) }
            })
    }

    /// Redis memory units: 1k=1000, 1kb=1024, m/mb, g/gb; plain bytes otherwise.
    static func parseMemory(_ text: String) -> Int? {
        let lowered = text.lowercased()
        let units: [(String, Int)] = [("kb", 1024), ("mb", 1 << 20), ("gb", 1 << 30), ("k", 1000), ("m", 1_000_000), ("g", 1_000_000_000)]
        for (suffix, factor) in units where lowered.hasSuffix(suffix) {
            guard let number = Int(lowered.dropLast(suffix.count)) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        return Int(lowered)
    }

    public static let all: [ConfigParameter] = [
        .integer("port", mutable: false, range: 0...65535, \.port),
        ConfigParameter(
            "bind", mutable: false, variadic: true, rewriteForm: .list, get: { $0.bind.joined(separator: " ") },
            set: { config, values throws(ConfigError) in config.bind = values }),
        .boolean("protected-mode", mutable: true, \.protectedMode),
        .integer("tcp-backlog", mutable: false, range: 0...65535, \.tcpBacklog),
        .string("unixsocket", mutable: false, omittedWhenEmpty: true, \.unixSocket),
        .octal("unixsocketperm", mutable: false, \.unixSocketPermissions),
        .integer("tcp-keepalive", mutable: true, range: 0...Int(Int32.max), \.tcpKeepalive),
        .integer("timeout", mutable: true, range: 0...Int(Int32.max), \.timeout),
        .boolean("daemonize", mutable: false, \.daemonize),
        .string("pidfile", mutable: false, omittedWhenEmpty: true, \.pidfile),
        .string("logfile", mutable: false, \.logfile),
        .choice("loglevel", mutable: true, \.loglevel),
        .integer("databases", mutable: false, range: 1...Int(Int32.max), \.databases),
        .integer("hz", mutable: true, range: 0...Int(Int32.max), clamp: 1...500, \.hz),
        .integer("maxclients", mutable: true, range: 1...Int(Int32.max), \.maxclients),
        .string("requirepass", mutable: true, omittedWhenEmpty: true, sensitive: true, \.requirepass),
        .integer("slowlog-log-slower-than", mutable: true, range: -1...Int(Int64.max), \.slowlogLogSlowerThan),
        .integer("slowlog-max-len", mutable: true, range: 0...Int(Int64.max), \.slowlogMaxLen),
        .integer("latency-monitor-threshold", mutable: true, range: 0...Int(Int64.max), \.latencyMonitorThreshold),
        .boolean("latency-tracking", mutable: true, \.latencyTracking),
        ConfigParameter(
            "latency-tracking-info-percentiles", mutable: true, variadic: true, rewriteForm: .always,
            get: { $0.latencyTrackingInfoPercentiles.map(LatencyText.percentile).joined(separator: " ") },
            set: { config, values throws(ConfigError) in
                // One empty value is an empty list (`latency-tracking-info-percentiles ""`).
                var percentiles: [Double] = []
                for value in values where !(values.count == 1 && value.isEmpty) {
                    guard let percentile = LatencyText.parseDouble(value) else {
                        throw ConfigError("Invalid latency-tracking-info-percentiles parameters")
                    }
                    guard (0...100).contains(percentile) else {
                        throw ConfigError("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")
                    }
                    percentiles.append(percentile)
                }
                config.latencyTrackingInfoPercentiles = percentiles
            }),
        .integer("proto-max-bulk-len", mutable: true, range: 1024 * 1024...Int(Int64.max), \.protoMaxBulkLen, memory: true),
        .integer("client-query-buffer-limit", mutable: true, range: 1024 * 1024...Int(Int64.max), \.clientQueryBufferLimit, memory: true),
        .choice("io-backend", mutable: false, \.ioBackend),
        .integer("shards", mutable: false, range: 0...256, \.shards),
        .choice("accept-mode", mutable: false, \.acceptMode),
        .choice("allocator", mutable: false, \.allocator),
        .choice("enable-debug-command", mutable: false, \.enableDebugCommand),
        .fixed("save", value: "", reason: "snapshots are not implemented yet: only save \"\" is accepted", rewriteForm: .always),
        .fixed("appendonly", value: "no", reason: "the append-only file is not implemented yet: only 'no' is accepted"),
    ]
}

/// Why a configuration value was rejected; the text follows Redis's wording where one exists.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
