import RESP

extension KeyCommands {
    /// A stored value copied out of its record, to be written under another key or into another
    /// database. Why a copy: the views a `RecordHandle` hands out die at the keyspace's next
    /// mutation, and RENAME, COPY and MOVE mutate before they are done with the value.
    /// The encoding travels with the value (an `int` stays `int`, a `raw` stays `raw`), as
    /// Redis moves or duplicates the object itself.
    enum ValueSnapshot {
        case integer(Int64)
        case string([UInt8], raw: Bool)

        init(_ record: RecordHandle) {
            switch record.type {
            case .string:
                switch record.stringValue {
                case .integer(let value): self = .integer(value)
                case .bytes(let view): self = .string(view.array, raw: record.encoding == .raw)
                }
            }
        }

        /// Stores the value at `key` in `db`, replacing whatever is there.
        func store(in db: Keyspace, key: ByteView, expiry: ExpiryChange, now: Int64) {
            switch self {
            case .integer(let value):
                db.setString(key, .integer(value), expiry: expiry, now: now)
            case .string(let bytes, let raw):
                bytes.withUnsafeBytes { buffer in
                    let view = ByteView(base: buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: buffer.count)
                    db.setString(key, .bytes(view), rawEncoding: raw, expiry: expiry, now: now)
                }
            }
        }
    }
}
