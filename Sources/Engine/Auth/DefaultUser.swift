import CFerriteSys
import RESP

/// Redis's `default` user, the one user a server without ACLs has: either it needs no password
/// (`nopass`, every connection starts authenticated) or `requirepass` gave it one, and a
/// connection runs nothing but AUTH, HELLO, QUIT and RESET until it presents it.
///
/// Only the password's SHA-256 is kept, and a candidate is compared by digest in constant time,
/// as Redis does: how long a wrong guess takes tells nothing about the password, not even its
/// length. Each shard's executor holds a copy, replaced whole by CONFIG SET requirepass.
public struct DefaultUser: Sendable {
    /// SHA-256 of the password; nil for `nopass`.
    private let passwordDigest: [UInt8]?

    /// The user `requirepass` configures: an empty password means none, as in Redis.
    public init(requirepass password: [UInt8]) {
        passwordDigest = password.isEmpty ? nil : password.withByteView(Self.digest)
    }

    /// True when connections must authenticate (Redis's default user without `nopass`).
    public var requiresPassword: Bool { passwordDigest != nil }

    /// The credentials AUTH and HELLO AUTH present: the name must be `default`, exactly; then
    /// any password is accepted when none is required, else only the configured one.
    public func accepts(username: ByteView, password: ByteView) -> Bool {
        Self.name.withByteView(username.equals) && accepts(password: password)
    }

    /// The password alone, for AUTH's one-argument form (the user is `default`).
    public func accepts(password: ByteView) -> Bool {
        guard let passwordDigest else { return true }
        let candidate = Self.digest(of: password)
        return passwordDigest.withUnsafeBytes { stored in
            candidate.withUnsafeBytes { ferrite_constant_time_equal(stored.baseAddress!, $0.baseAddress!, 32) == 1 }
        }
    }

    private static let name = Array("default".utf8)

    private static func digest(of bytes: ByteView) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { ferrite_sha256(bytes.base, bytes.count, $0.baseAddress!) }
        return digest
    }
}
