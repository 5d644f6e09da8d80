import CFerriteSys
import Foundation
import Glibc
import Synchronization
import Testing

@testable import Server

/// The mailbox's borrowing states: only an owner asleep in its event loop can be borrowed, a
/// message to a lent owner leaves its wake-up to the borrower, an owner whose wait returns
/// while lent waits for the borrower, and the two never use the shard's data at once.
@Suite struct ShardMailboxBorrowTests {
    @Test func onlyAnOwnerAsleepInItsLoopCanBeBorrowed() throws {
        let mailbox = try ShardMailbox()
        #expect(!mailbox.tryBorrow())  // running
        #expect(mailbox.prepareToSleep())
        #expect(mailbox.tryBorrow())
        #expect(!mailbox.tryBorrow())  // lent already
        #expect(!mailbox.giveBack())  // no message came: no wake-up owed
        #expect(mailbox.tryBorrow())  // asleep again, so borrowable again
        #expect(!mailbox.giveBack())
        mailbox.awake()
        #expect(!mailbox.tryBorrow())
    }

    @Test func anOwnerWithMailDoesNotSleepAndIsNotBorrowed() throws {
        let mailbox = try ShardMailbox()
        #expect(!mailbox.post(ShardMessage(.forward, sender: 1)))  // running: no wake-up needed
        #expect(!mailbox.prepareToSleep())
        #expect(!mailbox.tryBorrow())
        #expect(mailbox.takeAll().count == 1)
    }

    @Test func aMessageToALentOwnerIsAWakeUpTheBorrowerOwes() throws {
        let mailbox = try ShardMailbox()
        #expect(mailbox.prepareToSleep())
        #expect(mailbox.tryBorrow())
        #expect(!mailbox.post(ShardMessage(.forward, sender: 1)))  // not the poster's to wake
        #expect(!mailbox.post(ShardMessage(.forward, sender: 2)))
        #expect(mailbox.giveBack())  // the borrower's
        #expect(!mailbox.tryBorrow())  // being woken: not asleep any more
        mailbox.awake()
        #expect(mailbox.takeAll().map(\.sender) == [1, 2])
    }

    @Test func anOwnerWakingWhileLentWaitsForTheBorrower() throws {
        let mailbox = try ShardMailbox()
        #expect(mailbox.prepareToSleep())
        #expect(mailbox.tryBorrow())
        let reclaimed = Flag()
        let owner = TestThread {
            mailbox.awake()
            reclaimed.set()
        }
        usleep(50_000)
        #expect(!reclaimed.isSet)
        // A message now finds the owner awake (waiting): nobody owes it a wake-up.
        #expect(!mailbox.post(ShardMessage(.forward, sender: 1)))
        #expect(!mailbox.giveBack())
        owner.join()
        #expect(reclaimed.isSet)
        #expect(!mailbox.tryBorrow())  // running
        #expect(mailbox.takeAll().count == 1)
    }

    /// An owner going to sleep and waking up, and a borrower taking every chance it gets, both
    /// add to one unsynchronised counter with a read, a pause and a write: any overlap of the
    /// two would lose additions.
    @Test func ownerAndBorrowerNeverUseTheDataAtOnce() throws {
        let mailbox = try ShardMailbox()
        let counter = SlowCounter()
        let rounds = 200_000
        let borrowed = Flag()
        let borrower = TestThread {
            var borrows = 0
            while !borrowed.isSet {
                if mailbox.tryBorrow() {
                    counter.add()
                    borrows += 1
                    _ = mailbox.giveBack()
                }
            }
            counter.borrows = borrows
        }
        for _ in 0..<rounds {
            counter.add()
            if mailbox.prepareToSleep() {
                for _ in 0..<20 { ferrite_cpu_relax() }
                mailbox.awake()
            }
        }
        borrowed.set()
        borrower.join()
        #expect(counter.borrows > 0)
        #expect(counter.value == rounds + counter.borrows)
    }
}

/// A counter whose addition takes a while between its read and its write.
private final class SlowCounter: @unchecked Sendable {
    private(set) var value = 0
    var borrows = 0

    func add() {
        let read = value
        for _ in 0..<8 { ferrite_cpu_relax() }
        value = read + 1
    }
}

private final class Flag: Sendable {
    private let storage = Atomic<Bool>(false)
    var isSet: Bool { storage.load(ordering: .sequentiallyConsistent) }
    func set() { storage.store(true, ordering: .sequentiallyConsistent) }
}

/// A joinable thread running `body`.
private final class TestThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        Thread.detachNewThread { [done] in
            body()
            done.signal()
        }
    }

    func join() { done.wait() }
}
