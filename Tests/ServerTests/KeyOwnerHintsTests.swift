import RESP
import Testing

@testable import Server

/// Routing trusts a hint only for the very key the prefetch pass hashed: same address, same
/// length; lookups move forward and use each hint once.
@Suite struct KeyOwnerHintsTests {
    /// Room for more than `KeyOwnerHints.capacity` keys of two bytes, back to back (requests
    /// in a region): a hint goes by where a key is, not by its bytes.
    private static let region = [UInt8](repeating: UInt8(ascii: "k"), count: 4 * KeyOwnerHints.capacity)

    private static func key(_ index: Int, in base: UnsafeRawPointer, count: Int = 2) -> ByteView {
        ByteView(base: base + 2 * index, count: count)
    }

    /// Runs `body` with the region's start and empty hints.
    private static func withHints(_ body: (UnsafeRawPointer, inout KeyOwnerHints) -> Void) {
        region.withUnsafeBytes { bytes in
            KeyOwnerHints.with { hints in body(bytes.baseAddress!, &hints) }
        }
    }

    @Test func aRecordedKeyGivesItsOwnerOnce() {
        Self.withHints { base, hints in
            hints.append(Self.key(0, in: base), owner: 3)
            hints.append(Self.key(2, in: base), owner: 1)
            #expect(hints.owner(of: Self.key(0, in: base)) == 3)
            #expect(hints.owner(of: Self.key(0, in: base)) == nil)
            #expect(hints.owner(of: Self.key(2, in: base)) == 1)
        }
    }

    @Test func anotherAddressOrLengthIsNotTheKeyHashed() {
        Self.withHints { base, hints in
            hints.append(Self.key(1, in: base), owner: 2)
            hints.append(Self.key(3, in: base), owner: 0)
            // A key starting there with another length, or equal bytes elsewhere.
            #expect(hints.owner(of: Self.key(1, in: base, count: 1)) == nil)
            #expect(hints.owner(of: Self.key(3, in: base)) == 0)
            hints.append(Self.key(5, in: base), owner: 1)
            let copy = Array(Self.region[10..<12])
            copy.withUnsafeBytes { #expect(hints.owner(of: ByteView(base: $0.baseAddress!, count: 2)) == nil) }
        }
    }

    @Test func askingLaterSkipsTheHintsBeforeAndUnhashedKeysFindNone() {
        Self.withHints { base, hints in
            for index in [0, 2, 4] { hints.append(Self.key(index, in: base), owner: index) }
            #expect(hints.owner(of: Self.key(1, in: base)) == nil)  // a key no request had second
            #expect(hints.owner(of: Self.key(4, in: base)) == 4)
            #expect(hints.owner(of: Self.key(2, in: base)) == nil)  // passed
            #expect(hints.owner(of: Self.key(5, in: base)) == nil)
        }
    }

    @Test func removeAllForgetsEveryHint() {
        Self.withHints { base, hints in
            for index in 0..<KeyOwnerHints.capacity { hints.append(Self.key(index, in: base), owner: index) }
            hints.removeAll()
            #expect(hints.owner(of: Self.key(1, in: base)) == nil)
            hints.append(Self.key(5, in: base), owner: 7)
            #expect(hints.owner(of: Self.key(5, in: base)) == 7)
        }
    }
}
