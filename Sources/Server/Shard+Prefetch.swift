import Engine
import RESP

extension Shard {
    /// Prefetches (`KeyPrefetcher`) the keys of the next requests at `offset` in `region`, at
    /// most `KeyPrefetcher.capacity` of them, from the connection's database; returns where
    /// the requests it looked at end, so the next call starts there. Requests `RequestPeek`
    /// cannot read end the batch early; a SELECT within the batch only makes later prefetches
    /// miss. Keys other threads' shards own are not told apart (a CRC each): their slots here
    /// cost a wasted line, which measured cheaper. A thread hosting guests does tell its own
    /// shards' keys apart, since it runs those commands itself, and leaves each key's owner in
    /// `hints` (replacing those of the last batch), so that routing does not hash it again.
    func prefetchKeys(
        in region: UnsafeMutableRawBufferPointer, from offset: Int, for connection: Connection,
        hints: inout KeyOwnerHints
    ) -> Int {
        let database = connection.session.databaseIndex
        let keyspace = store.unretainedDatabase(database)
        let hostsGuests = !guests.isEmpty
        if hostsGuests { hints.removeAll() }
        return KeyPrefetcher.with { prefetcher in
            var position = offset
            for _ in 0..<KeyPrefetcher.capacity {
                guard let frame = RequestPeek.frame(in: UnsafeRawBufferPointer(rebasing: region[position...])) else { break }
                if let key = frame.key {
                    if !hostsGuests {
                        prefetcher.add(key, in: keyspace)
                    } else {
                        let owner = group.map.shard(of: key)
                        hints.append(key, owner: owner)
                        // Chained, not `if let store = …`: binding the store would retain it.
                        if let ownerKeyspace = storesHere[owner]?.unretainedDatabase(database) {
                            prefetcher.add(key, in: ownerKeyspace)
                        }
                    }
                }
                position += frame.length
            }
            prefetcher.finish()
            return max(position, offset + 1)
        }
    }
}
