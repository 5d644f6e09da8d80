/// Splits an inline (telnet-style) request line into arguments the way Redis's `sdssplitargs`
/// does: blanks separate arguments, "double quotes" understand \n \r \t \b \a \xHH and \<any>,
/// 'single quotes' understand \', a closing quote must be followed by a blank or the end, and a
/// NUL byte ends the line.
///
/// The unquoted arguments are written back into the line itself, front to back. That is safe
/// because the write position never passes the read position: unquoting only removes bytes.
public enum InlineSplitter {
    /// Fills `arguments` with spans into `line`; false on unbalanced quotes.
    static func split(
        _ line: UnsafeMutableRawBufferPointer, lineLength: Int, into arguments: inout [ArgumentSpan]
    ) -> Bool {
        arguments.removeAll(keepingCapacity: true)
        let p = line.baseAddress!.assumingMemoryBound(to: UInt8.self)
        // Byte at `i`, with the end of the line reading as NUL like a C string.
        func at(_ i: Int) -> UInt8 { i < lineLength ? p[i] : 0 }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
        func hexValue(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }

        var read = 0
        var write = 0
        while true {
            while at(read) != 0 && isSpace(at(read)) { read += 1 }
            if at(read) == 0 { return true }
            var inDoubleQuotes = false
            var inSingleQuotes = false
            var done = false
            let start = write
            func emit(_ byte: UInt8) {
                p[write] = byte
                write += 1
            }
            while !done {
                let c = at(read)
                if inDoubleQuotes {
                    if c == UInt8(ascii: "\\") && at(read + 1) == UInt8(ascii: "x"),
                        let high = hexValue(at(read + 2)), let low = hexValue(at(read + 3))
                    {
                        emit(high << 4 | low)
                        read += 3
                    } else if c == UInt8(ascii: "\\") && at(read + 1) != 0 {
                        read += 1
                        switch at(read) {
                        case UInt8(ascii: "n"): emit(10)
                        case UInt8(ascii: "r"): emit(13)
                        case UInt8(ascii: "t"): emit(9)
                        case UInt8(ascii: "b"): emit(8)
                        case UInt8(ascii: "a"): emit(7)
                        default: emit(at(read))
                        }
                    } else if c == UInt8(ascii: "\"") {
                        if at(read + 1) != 0 && !isSpace(at(read + 1)) { return false }
                        done = true
                    } else if c == 0 {
                        return false
                    } else {
                        emit(c)
                    }
                } else if inSingleQuotes {
                    if c == UInt8(ascii: "\\") && at(read + 1) == UInt8(ascii: "'") {
                        read += 1
                        emit(UInt8(ascii: "'"))
                    } else if c == UInt8(ascii: "'") {
                        if at(read + 1) != 0 && !isSpace(at(read + 1)) { return false }
                        done = true
                    } else if c == 0 {
                        return false
                    } else {
                        emit(c)
                    }
                } else {
                    switch c {
                    case 32, 10, 13, 9, 0: done = true
                    case UInt8(ascii: "\""): inDoubleQuotes = true
                    case UInt8(ascii: "'"): inSingleQuotes = true
                    default: emit(c)
                    }
                }
                if at(read) != 0 { read += 1 }
            }
            arguments.append(ArgumentSpan(offset: start, count: write - start))
        }
    }

    /// Splits a whole line (config files, tests): the arguments, or nil on unbalanced quotes.
    public static func split(line: [UInt8]) -> [[UInt8]]? {
        var copy = line + [0]
        var spans: [ArgumentSpan] = []
        let ok = copy.withUnsafeMutableBytes { split($0, lineLength: line.count, into: &spans) }
        guard ok else { return nil }
        return spans.map { Array(copy[$0.offset..<$0.offset + $0.count]) }
    }
}
