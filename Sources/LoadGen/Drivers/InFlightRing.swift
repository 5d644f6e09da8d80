/// A request sent and not yet answered: what it was and when it counts from.
struct InFlightRequest {
    /// Index of the request type in the run's statistics (SET, GET or a `--command`).
    var type: UInt16
    /// What a correct reply looks like.
    var expectation: ReplyExpectation
    /// Nanoseconds (monotonic) latency is measured from: the send time, or in open loop the
    /// time the request was due.
    var start: UInt64
    /// Bytes the request took on the wire.
    var bytes: UInt32
    /// The key id, for verification.
    var key: Int
}

/// How a reply is judged.
enum ReplyExpectation: UInt8 {
    /// SET: exactly +OK.
    case ok
    /// GET: a bulk string (hit) or a null (miss).
    case value
    /// GET during verification: the bulk must be the value the key was written with.
    case verifiedValue
    /// An arbitrary command: anything but an error.
    case anyNonError
}

/// A connection's requests in flight, oldest first: replies arrive in request order, so the
/// head is what the next reply answers. Fixed capacity (the pipeline depth), allocated once.
///
/// Memory: an `UnsafeMutablePointer` owned by this object, freed in `deinit`. Thread: the
/// connection's worker thread.
final class InFlightRing {
    private let slots: UnsafeMutablePointer<InFlightRequest>
    let capacity: Int
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity > 0, "InFlightRing capacity \(capacity) must be positive")
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    deinit { slots.deallocate() }

    var isFull: Bool { count == capacity }
    var isEmpty: Bool { count == 0 }

    @inline(__always)
    func push(_ request: InFlightRequest) {
        precondition(count < capacity, "InFlightRing overflow")
        // head + count < 2 * capacity: one conditional subtraction wraps it (no division per request).
        var tail = head + count
        if tail >= capacity { tail -= capacity }
        (slots + tail).initialize(to: request)
        count += 1
    }

    @inline(__always)
    func pop() -> InFlightRequest {
        precondition(count > 0, "InFlightRing underflow")
        let request = (slots + head).move()
        head += 1
        if head == capacity { head = 0 }
        count -= 1
        return request
    }
}
