import RESP

/// The option grammar SET and GETEX share (Redis's `parseExtendedStringArgumentsOrReply`), kept
/// as Redis's flag set so that every combination Redis accepts or rejects is accepted or rejected
/// here: an option conflicting with one already seen is a syntax error (NX after XX, PX after EX),
/// while repeating the same one is allowed (the last expiry wins).
///
/// Options are compared as C strings, as Redis does, so an argument is read up to its first NUL.
/// Parsing creates nothing on the heap: SET runs it on every call.
struct ExtendedStringOptions {
    /// Redis's `OBJ_SET_*`/`OBJ_EX…` bits: which options have been seen so far.
    struct Flags: OptionSet {
        let rawValue: UInt16
        static let nx = Flags(rawValue: 1 << 0)
        static let xx = Flags(rawValue: 1 << 1)
        static let get = Flags(rawValue: 1 << 2)
        static let keepTTL = Flags(rawValue: 1 << 3)
        static let persist = Flags(rawValue: 1 << 4)
        static let ex = Flags(rawValue: 1 << 5)
        static let px = Flags(rawValue: 1 << 6)
        static let exat = Flags(rawValue: 1 << 7)
        static let pxat = Flags(rawValue: 1 << 8)

        static let anyExpiry: Flags = [.ex, .px, .exat, .pxat]
    }

    /// Which command's grammar: SET takes NX XX GET KEEPTTL, GETEX takes PERSIST.
    enum Grammar {
        case set, getex
    }

    var flags: Flags = []
    /// The argument holding the expiry time after EX/PX/EXAT/PXAT; 0 when there is none.
    var expiryIndex = 0

    /// Parses `c.args[start...]`; nil after replying "ERR syntax error".
    static func parse(_ c: CommandContext, from start: Int, grammar: Grammar) -> ExtendedStringOptions? {
        var options = ExtendedStringOptions()
        var index = start
        while index < c.args.count {
            let option = c.args[index].cStringPrefix
            let hasNext = index + 1 < c.args.count
            let flags = options.flags
            let isSet = grammar == .set
            if isSet && option.equalsCaseInsensitive("nx") && !flags.contains(.xx) {
                options.flags.insert(.nx)
            } else if isSet && option.equalsCaseInsensitive("xx") && !flags.contains(.nx) {
                options.flags.insert(.xx)
            } else if isSet && option.equalsCaseInsensitive("get") {
                options.flags.insert(.get)
            } else if isSet && option.equalsCaseInsensitive("keepttl")
                && flags.isDisjoint(with: Flags.anyExpiry.union(.persist))
            {
                options.flags.insert(.keepTTL)
            } else if !isSet && option.equalsCaseInsensitive("persist")
                && flags.isDisjoint(with: Flags.anyExpiry.union(.keepTTL))
            {
                options.flags.insert(.persist)
            } else if hasNext, let unit = expiryFlag(option),
                flags.isDisjoint(with: Flags.anyExpiry.subtracting(unit).union([.keepTTL, .persist]))
            {
                options.flags.insert(unit)
                options.expiryIndex = index + 1
                index += 1
            } else {
                c.reply.error(CommandError.syntax)
                return nil
            }
            index += 1
        }
        return options
    }

    /// EX, PX, EXAT or PXAT as a flag; nil for anything else.
    private static func expiryFlag(_ option: ByteView) -> Flags? {
        if option.equalsCaseInsensitive("ex") { return .ex }
        if option.equalsCaseInsensitive("px") { return .px }
        if option.equalsCaseInsensitive("exat") { return .exat }
        if option.equalsCaseInsensitive("pxat") { return .pxat }
        return nil
    }

    /// The absolute expiry the options ask for, validated; nil after replying with an error.
    /// Call only when an expiry option is present.
    func expiryTime(_ c: CommandContext, invalidError: StaticString) -> Int64? {
        precondition(expiryIndex > 0, "no expiry option")
        return StringCommands.expiryTime(
            c, argument: expiryIndex, inSeconds: !flags.isDisjoint(with: [.ex, .exat]),
            relative: !flags.isDisjoint(with: [.ex, .px]), invalidError: invalidError)
    }

    /// True when the expiry was given as an absolute time (EXAT, PXAT).
    var isAbsoluteExpiry: Bool { !flags.isDisjoint(with: [.exat, .pxat]) }
}

extension StringCommands {
    /// Redis's `getExpireMillisecondsOrReply`: turns the expiry argument into absolute Unix
    /// milliseconds. Zero or negative times, seconds that overflow when multiplied by 1000 and
    /// relative times that overflow when added to now are all "invalid expire time"; nil after
    /// replying with the error.
    static func expiryTime(
        _ c: CommandContext, argument: Int, inSeconds: Bool, relative: Bool, invalidError: StaticString
    ) -> Int64? {
        guard let value = RedisInteger.parse(c.args[argument]) else {
            c.reply.error(CommandError.notInteger)
            return nil
        }
        if value <= 0 || (inSeconds && value > Int64.max / 1000) {
            c.reply.error(invalidError)
            return nil
        }
        var milliseconds = inSeconds ? value * 1000 : value
        if relative { milliseconds = milliseconds &+ c.now }
        if milliseconds <= 0 {
            c.reply.error(invalidError)
            return nil
        }
        return milliseconds
    }
}
