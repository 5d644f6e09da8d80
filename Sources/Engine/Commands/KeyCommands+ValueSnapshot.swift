import RESP

extension KeyCommands {
    /// A stored value copied out of its record, to be written under another key or into another
    /// database. Why a copy: the views a `RecordHandle` hands out die at the keyspace's next
    /// mutation, and RENAME, COPY and MOVE mutate before they are done with the value.
    /// The encoding travels with the value (an `int` stays `int`, a `raw` stays `raw`, a
    /// COPY's private small integer stays private), as Redis moves the object itself.
    struct ValueSnapshot {
        enum Content {
            case integer(Int64)
            case bytes([UInt8])
        }

        let content: Content
        let form: StoredForm

        init(_ record: RecordHandle) {
            switch record.type {
            case .string:
                switch record.stringValue {
                case .integer(let value): content = .integer(value)
                case .bytes(let view): content = .bytes(view.array)
                }
            }
            form = record.storedForm
        }

        /// The snapshot as Redis's `dupStringObject` copies it for COPY: same encoding, but an
        /// integer becomes an object of its own even if the source was a shared one.
        var duplicate: ValueSnapshot {
            guard case .integer = content else { return self }
            return ValueSnapshot(content: content, form: .unsharedInteger)
        }

        private init(content: Content, form: StoredForm) {
            self.content = content
            self.form = form
        }

        /// Stores the value at `key` in `db`, replacing whatever is there.
        func store(in db: Database, key: ByteView, expiry: ExpiryChange, now: Int64) {
            switch content {
            case .integer(let value):
                db.setString(key, .integer(value), form: form, expiry: expiry, now: now)
            case .bytes(let bytes):
                bytes.withByteView { view in
                    db.setString(key, .bytes(view), form: form, expiry: expiry, now: now)
                }
            }
        }
    }
}
