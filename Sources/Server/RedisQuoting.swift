/// Bytes as Redis's `sdscatrepr` prints them: in double quotes, with `\\` `\"` `\n` `\r` `\t`
/// `\a` `\b` escaped, printable ASCII as is and every other byte as `\xHH`. CONFIG REWRITE
/// writes strings this way and MONITOR shows arguments this way, so both read back exactly.
enum RedisQuoting {
    static func quoted(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var text: [UInt8] = []
        append(bytes, to: &text)
        return text
    }

    /// Appends `bytes`, quoted, to `text`.
    static func append(_ bytes: some Sequence<UInt8>, to text: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        text.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case backslash, UInt8(ascii: "\""): text += [backslash, byte]
            case 10: text += [backslash, UInt8(ascii: "n")]
            case 13: text += [backslash, UInt8(ascii: "r")]
            case 9: text += [backslash, UInt8(ascii: "t")]
            case 7: text += [backslash, UInt8(ascii: "a")]
            case 8: text += [backslash, UInt8(ascii: "b")]
            case 32...126: text.append(byte)
            default: text += [backslash, UInt8(ascii: "x"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]]
            }
        }
        text.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
