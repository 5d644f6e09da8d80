import CFerriteSys
import Glibc

/// The shard's pool of receive buffers, registered with its io_uring as a provided-buffer ring
/// (group 0): the kernel picks a free buffer for each multishot receive completion, we copy
/// the bytes into the connection's query buffer and hand the buffer straight back.
///
/// Memory: one mmap'd region for the ring entries and one for the buffers, owned by this
/// object and unmapped in `deinit` (after the ring that uses them is torn down). Used by the
/// shard thread only.
final class ProvidedBufferRing {
    static let groupID: UInt16 = 0
    let count: Int
    let bufferSize: Int
    private let ring: UnsafeMutablePointer<io_uring_buf_ring>
    private let ringBytes: Int
    private let buffers: UnsafeMutableRawPointer
    private var pendingReturns: Int32 = 0

    init(uring: UnsafeMutablePointer<io_uring>, count: Int, bufferSize: Int) throws(SystemCallError) {
        precondition(count > 0 && count & (count - 1) == 0 && count <= 32768, "buffer count \(count) must be a power of two ≤ 32768")
        self.count = count
        self.bufferSize = bufferSize
        ringBytes = count * MemoryLayout<io_uring_buf>.stride
        guard let ringMemory = mmap(nil, ringBytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0), ringMemory != MAP_FAILED else {
            throw SystemCallError(call: "mmap(buffer ring)", errno: ferrite_errno())
        }
        guard let bufferMemory = mmap(nil, count * bufferSize, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0), bufferMemory != MAP_FAILED else {
            munmap(ringMemory, ringBytes)
            throw SystemCallError(call: "mmap(buffers)", errno: ferrite_errno())
        }
        ring = ringMemory.assumingMemoryBound(to: io_uring_buf_ring.self)
        buffers = bufferMemory
        var registration = io_uring_buf_reg()
        registration.ring_addr = UInt64(UInt(bitPattern: ringMemory))
        registration.ring_entries = UInt32(count)
        registration.bgid = Self.groupID
        let result = io_uring_register_buf_ring(uring, &registration, 0)
        if result < 0 {
            munmap(ringMemory, ringBytes)
            munmap(bufferMemory, count * bufferSize)
            throw SystemCallError(call: "io_uring_register_buf_ring", errno: -result)
        }
        io_uring_buf_ring_init(ring)
        for id in 0..<count { give(UInt16(id)) }
        publish()
    }

    deinit {
        munmap(UnsafeMutableRawPointer(ring), ringBytes)
        munmap(buffers, count * bufferSize)
    }

    /// The bytes of buffer `id`; ours to read and modify until it is given back.
    func buffer(_ id: UInt16) -> UnsafeMutableRawPointer { buffers + Int(id) * bufferSize }

    /// Returns buffer `id` to the kernel (visible after `publish`).
    func give(_ id: UInt16) {
        io_uring_buf_ring_add(ring, buffers + Int(id) * bufferSize, UInt32(bufferSize), id, io_uring_buf_ring_mask(UInt32(count)), pendingReturns)
        pendingReturns += 1
    }

    /// Makes the buffers given since the last call available to the kernel.
    func publish() {
        guard pendingReturns > 0 else { return }
        io_uring_buf_ring_advance(ring, pendingReturns)
        pendingReturns = 0
    }
}
