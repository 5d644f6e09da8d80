import Testing

@testable import Server

@Suite struct CommandSyntaxTests {
    typealias A = CommandArgument

    @Test func plainArgumentsAndRepetition() {
        #expect(CommandSyntax.parse("key") == [A(name: "key", kind: .key)])
        #expect(CommandSyntax.parse("key [key ...]") == [A(name: "key", kind: .key, multiple: true)])
        #expect(CommandSyntax.parse("[section [section ...]]") == [A(name: "section", kind: .string, optional: true, multiple: true)])
        #expect(CommandSyntax.parse("") == [])
    }

    @Test func tokensWithValuesAndPureTokens() {
        #expect(CommandSyntax.parse("key seconds [NX | XX | GT | LT]") == [
            A(name: "key", kind: .key),
            A(name: "seconds", kind: .integer),
            A(name: "nx-or-xx-or-gt-or-lt", kind: .oneOf, optional: true, arguments: [
                A(name: "nx", kind: .pureToken, token: "NX"), A(name: "xx", kind: .pureToken, token: "XX"),
                A(name: "gt", kind: .pureToken, token: "GT"), A(name: "lt", kind: .pureToken, token: "LT"),
            ]),
        ])
        #expect(CommandSyntax.parse("[EX seconds | PERSIST]") == [
            A(name: "seconds-or-persist", kind: .oneOf, optional: true, arguments: [
                A(name: "seconds", kind: .integer, token: "EX"), A(name: "persist", kind: .pureToken, token: "PERSIST"),
            ])
        ])
        #expect(CommandSyntax.parse("[PXAT unix-time-milliseconds]") == [
            A(name: "unix-time-milliseconds", kind: .unixTime, token: "PXAT", optional: true)
        ])
    }

    @Test func tokenIntroducingAChoiceAndBlocks() {
        #expect(CommandSyntax.parse("[TYPE NORMAL | MASTER]") == [
            A(name: "type", kind: .oneOf, token: "TYPE", optional: true, arguments: [
                A(name: "normal", kind: .pureToken, token: "NORMAL"), A(name: "master", kind: .pureToken, token: "MASTER"),
            ])
        ])
        #expect(CommandSyntax.parse("[protover [AUTH username password] [SETNAME clientname]]") == [
            A(name: "protover-username-password-clientname", kind: .block, optional: true, arguments: [
                A(name: "protover", kind: .integer),
                A(name: "username-password", kind: .block, optional: true, arguments: [
                    A(name: "username", kind: .string, token: "AUTH"), A(name: "password", kind: .string),
                ]),
                A(name: "clientname", kind: .string, token: "SETNAME", optional: true),
            ])
        ])
    }

    @Test func everyRegisteredSyntaxParses() {
        let table = ServerCommands.table()
        for command in table.commands where !command.spec.syntax.isEmpty {
            let tokens = CommandSyntax.tokenize(command.spec.syntax)
            #expect(tokens.filter { $0 == "[" }.count == tokens.filter { $0 == "]" }.count, "\(command.fullName)")
            #expect(!CommandSyntax.parse(command.spec.syntax).isEmpty, "\(command.fullName)")
        }
    }
}
