import Engine
import RESP

/// One client connection on its shard: socket, query buffer, parser state, reply buffer and
/// the session commands see. Owned by its shard's `ConnectionTable`; used on that thread only.
///
/// Lifecycle: accepted → (receive → process → send)* → closing (QUIT, protocol error, CLIENT
/// KILL, peer gone) → closed when no I/O is in flight, then its slot is reused. The slot's
/// `generation` tells completions of a closed connection apart from its successor's.
final class Connection {
    let fd: Int32
    let slot: Int
    let generation: UInt32
    let session: ClientSession
    let input = InputBuffer()
    let output = OutputBuffer()
    var parser: RequestParser
    /// "ip:port" of the peer and of our end, for CLIENT LIST ("path:0" for both on the Unix
    /// socket, whose connections CLIENT LIST flags `U`). The session keeps the peer's, which
    /// SLOWLOG shows.
    var peerAddress: String { session.peerAddress }
    let localAddress: String
    var isUnixSocket: Bool { session.isUnixSocket }

    /// Closing: stop reading and processing, flush what is queued when `flushBeforeClose`.
    var closing = false
    var flushBeforeClose = true
    /// Bytes handed to the kernel by a send that has not completed (io_uring).
    var sendInFlight = 0
    /// The peer has shut down its sending side (EOF received).
    var peerClosed = false
    /// A multishot receive is armed (io_uring).
    var receiveArmed = false
    /// Queued in the shard's list of connections to look at after this loop turn.
    var isDirty = false
    /// Waiting for EPOLLOUT (epoll).
    var wantsWritable = false
    /// Commands forwarded to shard `forwardTarget` whose replies have not come back.
    var forwarded = 0
    var forwardTarget = 0
    /// Length of a parsed command at the head of the query buffer that waits for the
    /// forwarded replies, or for a pause to end, before it runs (0: none); the parser still
    /// holds its arguments.
    var waitingFrame = 0
    /// Its command at `waitingFrame` is held back by CLIENT PAUSE (`Shard+Pause`).
    var isHeldBack = false
    /// Forwarded replies that came back while a send was in flight (the output buffer must
    /// not move under the kernel); they join the output when the send completes.
    private var parkedOutput: OutputBuffer?

    init(fd: Int32, slot: Int, generation: UInt32, id: Int64, now: Int64, maxBulkLength: Int, peer: String, local: String, isUnixSocket: Bool) {
        self.fd = fd
        self.slot = slot
        self.generation = generation
        self.session = ClientSession(
            id: id, now: now, peerAddress: peer, isUnixSocket: isUnixSocket, isLocal: isUnixSocket || Socket.isLocalPeer(peer))
        self.parser = RequestParser(maxBulkLength: maxBulkLength)
        self.localAddress = local
    }

    /// After the peer's EOF: close once every request received before it is answered — at
    /// once unless a send or forwarded commands are still outstanding (whose completion
    /// calls this again).
    func closeIfPeerFinished() {
        if peerClosed && sendInFlight == 0 && forwarded == 0 { beginClosing(flush: true) }
    }

    /// No more reads; close once the queued reply is out (or at once when not flushing).
    func beginClosing(flush: Bool) {
        closing = true
        flushBeforeClose = flushBeforeClose && flush
    }

    /// True when nothing is left to send and the connection may be closed now. Never while
    /// commands it forwarded are out: the shard running them uses its session.
    var readyToClose: Bool {
        closing && sendInFlight == 0 && forwarded == 0 && (!flushBeforeClose || output.isEmpty)
    }

    /// Whether the end-of-turn flush may pass this connection by: it has commands out on
    /// another shard, so the replies queued now are the head of a pipeline whose tail comes
    /// back within a turn or two. Answering the whole pipeline with one send, as Redis answers
    /// everything it read with one write, spares a send (and the client a receive) for every
    /// change of shard; past `deferredOutputLimit` bytes the replies go anyway.
    var flushCanWait: Bool { forwarded > 0 && !closing && output.readableBytes < Self.deferredOutputLimit }
    static let deferredOutputLimit = 64 * 1024

    func parkReply(_ reply: UnsafeRawBufferPointer) {
        let parked = parkedOutput ?? OutputBuffer(capacity: 4096)
        parkedOutput = parked
        parked.append(reply.baseAddress!, count: reply.count)
    }

    /// Moves parked replies to the output, once no send is in flight.
    func unparkReplies() {
        guard let parked = parkedOutput, !parked.isEmpty else { return }
        let region = parked.readableRegion
        output.append(region.baseAddress!, count: region.count)
        parked.consume(region.count)
    }
}

/// The shard's connections by slot, with free-slot reuse and generation counters.
struct ConnectionTable {
    private(set) var slots: [Connection?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int] = []
    private(set) var count = 0

    /// A free slot and the generation its next connection gets.
    mutating func reserve() -> (slot: Int, generation: UInt32) {
        if let slot = freeSlots.popLast() {
            // 28 bits: what the io_uring loop's completion tags carry.
            generations[slot] = (generations[slot] &+ 1) & 0x0fff_ffff
            return (slot, generations[slot])
        }
        slots.append(nil)
        generations.append(0)
        return (slots.count - 1, 0)
    }

    mutating func insert(_ connection: Connection) {
        precondition(slots[connection.slot] == nil, "slot \(connection.slot) in use")
        slots[connection.slot] = connection
        count += 1
    }

    mutating func remove(_ connection: Connection) {
        precondition(slots[connection.slot] === connection, "slot \(connection.slot) holds another connection")
        slots[connection.slot] = nil
        freeSlots.append(connection.slot)
        count -= 1
    }

    /// The live connection at `slot` if its generation matches.
    func connection(slot: Int, generation: UInt32) -> Connection? {
        guard slot < slots.count, let connection = slots[slot], connection.generation == generation else { return nil }
        return connection
    }

    var all: [Connection] { slots.compactMap { $0 } }
}
