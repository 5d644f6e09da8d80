/// A minimal JSON writer that keeps keys in the order they are written (memtier's files are
/// read by tools and people who expect its order) and formats numbers with fixed decimals.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma = [false]
    private var indent: String { String(repeating: "  ", count: needsComma.count - 1) }

    private mutating func prefix(_ key: String?) {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        text += "\n" + indent
        if let key { text += Self.quoted(key) + ": " }
    }

    mutating func beginObject(_ key: String? = nil) {
        if needsComma.count == 1 && text.isEmpty {
            text = "{"
        } else {
            prefix(key)
            text += "{"
        }
        needsComma.append(false)
    }

    mutating func beginArray(_ key: String) {
        prefix(key)
        text += "["
        needsComma.append(false)
    }

    mutating func end(array: Bool = false) {
        let hadItems = needsComma.removeLast()
        text += (hadItems ? "\n" + indent : "") + (array ? "]" : "}")
    }

    mutating func string(_ key: String, _ value: String) {
        prefix(key)
        text += Self.quoted(value)
    }

    mutating func integer(_ key: String, _ value: Int) {
        prefix(key)
        text += String(value)
    }

    mutating func number(_ key: String, _ value: Double, decimals: Int) {
        prefix(key)
        text += value.isFinite ? Text.fixed(value, decimals) : "null"
    }

    mutating func bool(_ key: String, _ value: Bool) {
        prefix(key)
        text += value ? "true" : "false"
    }

    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
