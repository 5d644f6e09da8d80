/// A fixed number of values mutated in place. An `Array` kept in a class pays a copy-on-write
/// uniqueness check each time one of its elements is mutated, and the worker's hot loop
/// mutates two per request (a key generator and a latency recorder); those tables live in this
/// instead.
///
/// Memory: one allocation, owned by this noncopyable value, deinitialized and freed in
/// `deinit`. Thread: its owner's.
struct InPlaceTable<Element>: ~Copyable {
    private let elements: UnsafeMutableBufferPointer<Element>

    init(_ values: [Element]) {
        elements = .allocate(capacity: values.count)
        _ = elements.initialize(fromContentsOf: values)
    }

    deinit {
        elements.deinitialize()
        elements.deallocate()
    }

    var count: Int { elements.count }

    /// Bounds-checked like an `Array`'s (an unsafe buffer checks only in debug builds).
    subscript(index: Int) -> Element {
        @inline(__always) _read {
            precondition(index >= 0 && index < elements.count, "InPlaceTable index \(index) out of range")
            yield elements[index]
        }
        @inline(__always) nonmutating _modify {
            precondition(index >= 0 && index < elements.count, "InPlaceTable index \(index) out of range")
            yield &elements[index]
        }
    }
}
