import RESP

/// LCS: the longest common subsequence of two strings (Redis 7.0 `lcsCommand`), by the classic
/// dynamic-programming table, then walked back from the end to spell the subsequence and, for
/// IDX, to report its contiguous matching ranges (last match first).
extension StringCommands {
    static func lcs(_ c: CommandContext) {
        // Both keys are looked up (and counted) before anything else is checked, as Redis does.
        let first = readLookup(c, c.args[1])
        let second = readLookup(c, c.args[2])
        if let first, first.type != .string { return lcsWrongType(c) }
        if let second, second.type != .string { return lcsWrongType(c) }
        let a = first.map { withBytes(of: $0.stringValue) { $0.array } } ?? []
        let b = second.map { withBytes(of: $0.stringValue) { $0.array } } ?? []

        var wantIndexes = false
        var wantLength = false
        var withMatchLength = false
        var minimumMatchLength: Int64 = 0
        var index = 3
        while index < c.args.count {
            let option = c.args[index].cStringPrefix
            if option.equalsCaseInsensitive("idx") {
                wantIndexes = true
            } else if option.equalsCaseInsensitive("len") {
                wantLength = true
            } else if option.equalsCaseInsensitive("withmatchlen") {
                withMatchLength = true
            } else if option.equalsCaseInsensitive("minmatchlen") && index + 1 < c.args.count {
                guard let value = RedisInteger.parse(c.args[index + 1]) else {
                    return c.reply.error(CommandError.notInteger)
                }
                minimumMatchLength = max(value, 0)
                index += 1
            } else {
                return c.reply.error(CommandError.syntax)
            }
            index += 1
        }
        if wantIndexes && wantLength {
            return c.reply.error("ERR If you want both the length and indexes, please just use IDX.")
        }
        let tableSize = (a.count + 1) * (b.count + 1)
        if Int64(tableSize) * 4 > c.store.maximumStringLength {
            return c.reply.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
        }

        let table = LCSTable(a, b)
        let total = table[a.count, b.count]
        if wantLength && !wantIndexes { return c.reply.integer(Int(total)) }

        var sequence = [UInt8](repeating: 0, count: Int(total))
        var reported = 0
        let deferred: ReplyWriter.Deferred?
        if wantIndexes {
            c.reply.mapHeader(2)
            c.reply.bulk("matches")
            deferred = c.reply.beginDeferred()
        } else {
            deferred = nil
        }
        // The walk back: `range*` describe the match being extended, aStart == a.count when none.
        var i = a.count
        var j = b.count
        var position = Int(total)
        var aStart = a.count, aEnd = 0, bStart = 0, bEnd = 0
        while i > 0 && j > 0 {
            var emit = false
            if a[i - 1] == b[j - 1] {
                sequence[position - 1] = a[i - 1]
                if aStart == a.count {
                    (aStart, aEnd, bStart, bEnd) = (i - 1, i - 1, j - 1, j - 1)
                } else if aStart == i && bStart == j {
                    aStart -= 1
                    bStart -= 1
                } else {
                    emit = true
                }
                if aStart == 0 || bStart == 0 { emit = true }
                position -= 1
                i -= 1
                j -= 1
            } else {
                if table[i - 1, j] > table[i, j - 1] { i -= 1 } else { j -= 1 }
                if aStart != a.count { emit = true }
            }
            if emit {
                let matchLength = aEnd - aStart + 1
                if wantIndexes && (minimumMatchLength == 0 || Int64(matchLength) >= minimumMatchLength) {
                    c.reply.arrayHeader(withMatchLength ? 3 : 2)
                    c.reply.arrayHeader(2)
                    c.reply.integer(aStart)
                    c.reply.integer(aEnd)
                    c.reply.arrayHeader(2)
                    c.reply.integer(bStart)
                    c.reply.integer(bEnd)
                    if withMatchLength { c.reply.integer(matchLength) }
                    reported += 1
                }
                aStart = a.count
            }
        }
        if let deferred {
            c.reply.endDeferredArray(deferred, count: reported)
            c.reply.bulk("len")
            c.reply.integer(Int(total))
        } else {
            c.reply.bulk(sequence)
        }
    }

    private static func lcsWrongType(_ c: CommandContext) {
        c.reply.error("ERR The specified keys must contain string values")
    }
}

/// The LCS length table: entry (i, j) is the length of the longest common subsequence of the
/// first i bytes of `a` and the first j bytes of `b`. Row-major, (|a|+1) × (|b|+1) entries.
private struct LCSTable {
    private var lengths: [UInt32]
    private let width: Int

    init(_ a: [UInt8], _ b: [UInt8]) {
        width = b.count + 1
        lengths = [UInt32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                if a[i - 1] == b[j - 1] {
                    lengths[i * width + j] = lengths[(i - 1) * width + j - 1] + 1
                } else {
                    lengths[i * width + j] = max(lengths[(i - 1) * width + j], lengths[i * width + j - 1])
                }
            }
        }
    }

    subscript(i: Int, j: Int) -> UInt32 { lengths[i * width + j] }
}
