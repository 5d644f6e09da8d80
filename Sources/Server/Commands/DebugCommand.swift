import Engine
import Glibc
import RESP

/// DEBUG, Redis 7.0's testing and introspection command: HELP, SLEEP, OBJECT,
/// SET-ACTIVE-EXPIRE, PROTOCOL, LOG and STRINGMATCH-TEST, with Redis's replies byte for byte.
/// Every other subcommand Redis has (RELOAD, DIGEST, POPULATE, the crash tests…) answers as an
/// unknown one does.
///
/// Flagged `protected`, as in Redis: the executor refuses it unless `enable-debug-command`
/// allows the client, before it gets here (`CommandTable.Resolution.protected`), so the
/// handler itself checks nothing. It has no keys (Redis gives it none) and runs with every
/// shard held (`CommandRoute.everyShard`): OBJECT finds its key on the owning shard,
/// SET-ACTIVE-EXPIRE reaches each shard, and SLEEP stops the whole server, as it stops Redis.
enum DebugCommand {
    static var spec: CommandSpec {
        CommandSpec("debug", arity: -2, flags: [.admin, .noScript, .loading, .stale, .protected], handler: debug)
    }

    /// Redis's `debugCommand`: a subcommand runs only with its exact argument count; anything
    /// else is "unknown subcommand or wrong number of arguments".
    static func debug(_ c: CommandContext) {
        let subcommand = c.args[1]
        switch c.args.count {
        case 2:
            if subcommand.equalsCaseInsensitive("help") { return help(c) }
            if subcommand.equalsCaseInsensitive("stringmatch-test") { return stringMatchTest(c) }
        case 3:
            if subcommand.equalsCaseInsensitive("object") { return object(c) }
            if subcommand.equalsCaseInsensitive("protocol") { return replyProtocolSample(c) }
            if subcommand.equalsCaseInsensitive("sleep") { return sleep(c) }
            if subcommand.equalsCaseInsensitive("set-active-expire") { return setActiveExpire(c) }
            if subcommand.equalsCaseInsensitive("log") { return log(c) }
        default:
            break
        }
        c.reply.error(
            bytes: Array("ERR unknown subcommand or wrong number of arguments for '".utf8)
                + CommandExecutor.cString(subcommand, limit: 128) + Array("'. Try DEBUG HELP.".utf8))
    }

    /// SLEEP seconds: stops the server (here, every shard: DEBUG holds them all) for that
    /// long. The number is read as C's `strtod` reads it: what does not parse is 0.
    static func sleep(_ c: CommandContext) {
        let microseconds = Int64(cDouble(c.args[2]) * 1_000_000)
        var interval = timespec(tv_sec: Int(microseconds / 1_000_000), tv_nsec: Int(microseconds % 1_000_000) * 1000)
        var remaining = timespec()
        // Restarted after a signal, so that the whole time passes as in Redis.
        while nanosleep(&interval, &remaining) == -1 && errno == EINTR { interval = remaining }
        c.reply.ok()
    }

    /// SET-ACTIVE-EXPIRE 0|1 (read as C's `atoi`: any non-zero number turns it on): whether
    /// expired keys are deleted in the background, on every shard.
    static func setActiveExpire(_ c: CommandContext) {
        let enabled = cInteger(c.args[2]) != 0
        for shard in ServerCommands.shard(c).group.shards { shard.activeExpiryEnabled = enabled }
        c.reply.ok()
    }

    /// LOG message: a warning line in the server log.
    static func log(_ c: CommandContext) {
        let message = String(decoding: CommandExecutor.cString(c.args[2], limit: .max), as: UTF8.self)
        ServerCommands.shard(c).logger.warning("DEBUG LOG: \(message)")
        c.reply.ok()
    }

    /// STRINGMATCH-TEST: Redis's fuzz test of its glob matcher — ten million random patterns
    /// and subjects of up to 31 bytes under 128 — run on Ferrite's; it passes by not crashing.
    static func stringMatchTest(_ c: CommandContext) {
        var random = FuzzRandom(seed: UInt64(truncatingIfNeeded: Clock.microseconds()))
        var subject = [UInt8](repeating: 0, count: 32)
        var pattern = [UInt8](repeating: 0, count: 32)
        var matches = 0
        for _ in 0..<10_000_000 {
            let subjectLength = random.next(below: 32)
            let patternLength = random.next(below: 32)
            for index in 0..<subjectLength { subject[index] = UInt8(random.next(below: 128)) }
            for index in 0..<patternLength { pattern[index] = UInt8(random.next(below: 128)) }
            subject.withUnsafeBytes { subjectBytes in
                pattern.withUnsafeBytes { patternBytes in
                    let matcher = GlobMatcher(pattern: ByteView(base: patternBytes.baseAddress!, count: patternLength))
                    if matcher.matches(ByteView(base: subjectBytes.baseAddress!, count: subjectLength)) { matches += 1 }
                }
            }
        }
        _ = matches  // as in Redis, only not crashing counts
        c.reply.simple("Apparently Redis did not crash: test passed")
    }

    /// xorshift64*, for STRINGMATCH-TEST's inputs (Redis uses `rand()`): a system generator
    /// call per byte would make the test a syscall benchmark. Not cryptographic.
    struct FuzzRandom {
        private var state: UInt64

        init(seed: UInt64) { state = seed | 1 }

        mutating func next(below bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 0x2545_f491_4f6c_dd1d) >> 33) % bound
        }
    }

    /// C's `strtod` over the argument: the longest prefix that is a number, 0 if none.
    static func cDouble(_ view: ByteView) -> Double {
        String(decoding: CommandExecutor.cString(view, limit: .max), as: UTF8.self).withCString { strtod($0, nil) }
    }

    /// C's `atoi` over the argument.
    static func cInteger(_ view: ByteView) -> Int32 {
        String(decoding: CommandExecutor.cString(view, limit: .max), as: UTF8.self).withCString { atoi($0) }
    }
}
