import Engine
import RESP

/// DEBUG PROTOCOL type: one sample reply of each RESP3 type, as Redis's `debugCommand` writes
/// them — and what a RESP2 client gets instead (bulk strings for double, big number and
/// verbatim; integers for booleans; flat arrays for sets and maps; no attribute; an error for
/// push).
extension DebugCommand {
    static func replyProtocolSample(_ c: CommandContext) {
        let type = c.args[2]
        let reply = c.reply
        if type.equalsCaseInsensitive("string") {
            reply.bulk("Hello World")
        } else if type.equalsCaseInsensitive("integer") {
            reply.integer(12345)
        } else if type.equalsCaseInsensitive("double") {
            reply.double(3.141)
        } else if type.equalsCaseInsensitive("bignum") {
            if reply.isRESP3 {
                reply.buffer.append("(1234567999999999999999999999999999999\r\n")
            } else {
                reply.bulk("1234567999999999999999999999999999999")
            }
        } else if type.equalsCaseInsensitive("null") {
            reply.null()
        } else if type.equalsCaseInsensitive("array") {
            reply.arrayHeader(3)
            for index in 0..<3 { reply.integer(index) }
        } else if type.equalsCaseInsensitive("set") {
            reply.setHeader(3)
            for index in 0..<3 { reply.integer(index) }
        } else if type.equalsCaseInsensitive("map") {
            reply.mapHeader(3)
            for index in 0..<3 {
                reply.integer(index)
                reply.bool(index == 1)
            }
        } else if type.equalsCaseInsensitive("attrib") {
            if reply.isRESP3 {
                reply.header(UInt8(ascii: "|"), 1)
                reply.bulk("key-popularity")
                reply.arrayHeader(2)
                reply.bulk("key:123")
                reply.integer(90)
            }
            // An attribute is not a reply: a real one follows it.
            reply.bulk("Some real reply following the attribute")
        } else if type.equalsCaseInsensitive("push") {
            guard reply.isRESP3 else { return reply.error("ERR RESP2 is not supported by this command") }
            reply.header(UInt8(ascii: ">"), 2)
            reply.bulk("server-cpu-usage")
            reply.integer(42)
            // A push is not a reply either: one follows for the client waiting for it.
            reply.bulk("Some real reply following the push reply")
        } else if type.equalsCaseInsensitive("true") {
            reply.bool(true)
        } else if type.equalsCaseInsensitive("false") {
            reply.bool(false)
        } else if type.equalsCaseInsensitive("verbatim") {
            reply.verbatim("This is a verbatim\nstring")
        } else {
            reply.error(
                "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false"
            )
        }
    }
}
