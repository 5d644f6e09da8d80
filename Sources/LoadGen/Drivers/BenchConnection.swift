import RESP

/// One client connection of a worker: its socket, request and reply buffers, the requests in
/// flight, and the state of its workload (key generators, ratio position, pacing schedule,
/// requests left). Owned and touched only by its worker's thread.
final class BenchConnection {
    let fd: Int32
    let index: Int
    let output = OutputBuffer(capacity: 16 * 1024)
    let input = ReceiveBuffer(capacity: 64 * 1024)
    let inFlight: InFlightRing
    var random: RandomSource
    /// One generator per request type (SET, GET, or each `--command`).
    let keys: InPlaceTable<KeyGenerator>
    /// Position in the ratio cycle (SET:GET or the `--command-ratio` weights).
    var cycle = 0
    /// Requests still to send; -1 for "until the deadline".
    var remaining: Int
    /// Pacing: when the next request is due (monotonic ns), and the mean gap.
    var nextDue: UInt64 = 0
    var gap: Double = 0
    /// A paced request fell due while the pipeline was full of unanswered requests: the server,
    /// not the client, is holding it back.
    var heldBack = false
    /// Bytes of `output` handed to the kernel by an io_uring send not completed yet.
    var sendInFlight = 0
    /// Whether epoll also watches for writability (output did not fit in the socket).
    var wantsWritable = false

    init(fd: Int32, index: Int, pipeline: Int, seed: UInt64, keys: [KeyGenerator], remaining: Int) {
        self.fd = fd
        self.index = index
        inFlight = InFlightRing(capacity: pipeline)
        random = RandomSource(seed: seed)
        self.keys = InPlaceTable(keys)
        self.remaining = remaining
    }

    var finished: Bool { remaining == 0 && inFlight.isEmpty }
}
