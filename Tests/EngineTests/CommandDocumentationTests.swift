@testable import Engine
import Testing

/// Key specs find keys as Redis's `getKeysUsingKeySpecs` does, and every command in the table
/// carries Redis's documentation consistent with its hand-written spec.
@Suite struct CommandDocumentationTests {
    @Test func rangeSpecsFindKeysAsRedisDoes() {
        let single = KeySpec(flags: [.ro, .access], beginIndex: 1, lastKey: 0, step: 1, limit: 0)
        #expect(single.keyPositions(argumentCount: 2) == [1])
        #expect(single.keyPositions(argumentCount: 1) == nil)
        let pairs = KeySpec(flags: [.ow, .update], beginIndex: 1, lastKey: -1, step: 2, limit: 0)  // MSET
        #expect(pairs.keyPositions(argumentCount: 5) == [1, 3])
        #expect(pairs.keyPositions(argumentCount: 4) == [1, 3])  // a trailing key without value
        let all = KeySpec(flags: [.rm, .delete], beginIndex: 1, lastKey: -1, step: 1, limit: 0)  // DEL
        #expect(all.keyPositions(argumentCount: 4) == [1, 2, 3])
        let second = KeySpec(flags: [.ow, .update], beginIndex: 2, lastKey: 0, step: 1, limit: 0)  // COPY's destination
        #expect(second.keyPositions(argumentCount: 3) == [2])
        #expect(second.keyPositions(argumentCount: 2) == nil)
        let half = KeySpec(flags: [.ro], beginIndex: 1, lastKey: -1, step: 1, limit: 2)  // first half of the rest
        #expect(half.keyPositions(argumentCount: 5) == [1, 2])
    }

    @Test func setReadsItsKeyOnlyWithGet() {
        Arguments.with([Array("SET".utf8), Array("k".utf8), Array("v".utf8)]) {
            #expect(StringCommands.setKeyFlags($0) == [.ow, .update])
        }
        Arguments.with(["SET", "k", "v", "EX", "1", "gEt"].map { Array($0.utf8) }) {
            #expect(StringCommands.setKeyFlags($0) == [.rw, .access, .update])
        }
        Arguments.with(["SET", "get", "get"].map { Array($0.utf8) }) {  // a key or value named "get" is not the option
            #expect(StringCommands.setKeyFlags($0) == [.ow, .update])
        }
    }

    @Test func everyCommandHasDocumentationMatchingItsSpec() {
        let table = CommandTable(EngineCommands.all)
        for command in table.commands {
            let spec = command.spec
            let docs = command.docs
            #expect(!docs.summary.isEmpty, "\(command.fullName)")
            // Keys declared for dispatch exactly when Redis documents key specs.
            #expect((spec.firstKey > 0) == !docs.keySpecs.isEmpty, "\(command.fullName)")
            #expect(docs.aclCategories.contains(spec.flags.contains(.fast) ? "fast" : "slow"), "\(command.fullName)")
            if spec.flags.contains(.write) { #expect(docs.aclCategories.contains("write"), "\(command.fullName)") }
            if spec.flags.contains(.readonly) { #expect(docs.aclCategories.contains("read"), "\(command.fullName)") }
            #expect((spec.keyFlagsOfCall != nil) == docs.keySpecs.contains { $0.flags.contains(.variableFlags) },
                    "\(command.fullName)")
        }
        #expect(table.command(named: "incrbyfloat")?.docs.arguments.map(\.kind) == [.key, .double])
    }
}
