/// Redis 7.0's request processing (`processMultibulkBuffer`, `processInlineBuffer`,
/// `sdssplitargs`, `string2ll`) transcribed as plainly as possible over a whole byte array, as
/// the oracle for differential fuzzing. It is neither incremental nor zero-copy, and it treats the
/// buffer as Redis does: NUL-terminated, so `strchr` never sees past a NUL byte.
struct ReferenceModel {
    let bytes: [UInt8]
    let maxBulkLength: Int
    static let inlineMaxSize = 64 * 1024

    /// All events of the stream, stopping at the first error or incomplete frame.
    func events() -> [FrameEvent] {
        var result: [FrameEvent] = []
        var start = 0
        while start < bytes.count {
            let event = bytes[start] == UInt8(ascii: "*") ? multibulk(at: start) : inline(at: start)
            result.append(event)
            switch event {
            case .command(let consumed, _), .empty(let consumed): start += consumed
            case .error, .incomplete: return result
            }
        }
        return result
    }

    /// `strchr(bytes + from, byte)` on a NUL-terminated copy.
    private func strchr(_ byte: UInt8, from: Int) -> Int? {
        var i = from
        while i < bytes.count && bytes[i] != 0 {
            if bytes[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// `string2ll`: the canonical decimal form of an Int64 and nothing else.
    static func string2ll(_ text: ArraySlice<UInt8>) -> Int64? {
        guard text.count < 21, let value = Int64(String(decoding: text, as: UTF8.self)) else { return nil }
        return Array(String(value).utf8) == Array(text) ? value : nil
    }

    private func multibulk(at start: Int) -> FrameEvent {
        guard let newline = strchr(13, from: start) else {
            return bytes.count - start > Self.inlineMaxSize ? .error(.tooBigMultibulkCount) : .incomplete
        }
        if newline - start > bytes.count - start - 2 { return .incomplete }
        guard let count = Self.string2ll(bytes[(start + 1)..<newline]), count <= Int64(Int32.max) else {
            return .error(.invalidMultibulkLength)
        }
        var position = newline + 2
        if count <= 0 { return .empty(consumed: position - start) }
        var arguments: [[UInt8]] = []
        for _ in 0..<count {
            guard let cr = strchr(13, from: position) else {
                return bytes.count - position > Self.inlineMaxSize ? .error(.tooBigBulkCount) : .incomplete
            }
            if cr - position > bytes.count - position - 2 { return .incomplete }
            if bytes[position] != UInt8(ascii: "$") { return .error(.unexpectedByte(bytes[position])) }
            guard let length = Self.string2ll(bytes[(position + 1)..<cr]), length >= 0,
                length <= Int64(maxBulkLength)
            else { return .error(.invalidBulkLength) }
            position = cr + 2
            if Int64(bytes.count - position) - 2 < length { return .incomplete }
            arguments.append(Array(bytes[position..<(position + Int(length))]))
            position += Int(length) + 2
        }
        return .command(consumed: position - start, arguments: arguments)
    }

    private func inline(at start: Int) -> FrameEvent {
        guard var newline = strchr(10, from: start) else {
            return bytes.count - start > Self.inlineMaxSize ? .error(.tooBigInlineRequest) : .incomplete
        }
        let consumed = newline + 1 - start
        if newline != start && bytes[newline - 1] == 13 { newline -= 1 }
        guard let arguments = Self.splitArguments(Array(bytes[start..<newline])) else {
            return .error(.unbalancedQuotes)
        }
        return arguments.isEmpty ? .empty(consumed: consumed) : .command(consumed: consumed, arguments: arguments)
    }

    /// `sdssplitargs` over a C string (the line plus its terminating NUL).
    static func splitArguments(_ line: [UInt8]) -> [[UInt8]]? {
        let s = line + [0]
        func isspace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 11 || c == 12 || c == 13 }
        func hex(_ c: UInt8) -> UInt8? {
            if c >= 48 && c <= 57 { return c - 48 }
            if c >= 97 && c <= 102 { return c - 87 }
            if c >= 65 && c <= 70 { return c - 55 }
            return nil
        }
        var vector: [[UInt8]] = []
        var p = 0
        while true {
            while s[p] != 0 && isspace(s[p]) { p += 1 }
            if s[p] == 0 { return vector }
            var inq = false, insq = false, done = false
            var current: [UInt8] = []
            while !done {
                if inq {
                    if s[p] == 92 && s[p + 1] == 120, let h = hex(s[p + 2]), let l = hex(s[p + 3]) {
                        current.append(h * 16 + l)
                        p += 3
                    } else if s[p] == 92 && s[p + 1] != 0 {
                        p += 1
                        switch s[p] {
                        case 110: current.append(10)
                        case 114: current.append(13)
                        case 116: current.append(9)
                        case 98: current.append(8)
                        case 97: current.append(7)
                        default: current.append(s[p])
                        }
                    } else if s[p] == 34 {
                        if s[p + 1] != 0 && !isspace(s[p + 1]) { return nil }
                        done = true
                    } else if s[p] == 0 {
                        return nil
                    } else {
                        current.append(s[p])
                    }
                } else if insq {
                    if s[p] == 92 && s[p + 1] == 39 {
                        p += 1
                        current.append(39)
                    } else if s[p] == 39 {
                        if s[p + 1] != 0 && !isspace(s[p + 1]) { return nil }
                        done = true
                    } else if s[p] == 0 {
                        return nil
                    } else {
                        current.append(s[p])
                    }
                } else {
                    switch s[p] {
                    case 32, 10, 13, 9, 0: done = true
                    case 34: inq = true
                    case 39: insq = true
                    default: current.append(s[p])
                    }
                }
                if s[p] != 0 { p += 1 }
            }
            vector.append(current)
        }
    }
}
