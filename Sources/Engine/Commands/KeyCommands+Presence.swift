import RESP

/// DEL UNLINK EXISTS TOUCH TYPE: whether keys are there, and removing them.
extension KeyCommands {
    /// DEL and UNLINK (this engine frees values in place, so they are one command): an expired
    /// key is reaped first and not counted as deleted, as Redis's `expireIfNeeded` does.
    static func del(_ c: CommandContext) {
        let db = c.db
        var deleted: Int64 = 0
        for index in 1..<c.args.count {
            let key = c.args[index]
            if db.delete(key, now: c.now) { deleted += 1 }
        }
        c.reply.integer(deleted)
    }

    static func exists(_ c: CommandContext) {
        var found: Int64 = 0
        for index in 1..<c.args.count where lookupForRead(c, c.args[index], touch: false) != nil {
            found += 1
        }
        c.reply.integer(found)
    }

    static func touch(_ c: CommandContext) {
        var found: Int64 = 0
        for index in 1..<c.args.count where lookupForRead(c, c.args[index], touch: true) != nil {
            found += 1
        }
        c.reply.integer(found)
    }

    static func type(_ c: CommandContext) {
        guard let record = lookupForRead(c, c.args[1], touch: false) else { return c.reply.simple("none") }
        c.reply.simple(record.type.name)
    }
}
