/// Who may run a command Redis flags `protected` (DEBUG): Redis's `enable-debug-command`
/// directive, `no` by default. Chosen at start only; Redis refuses to change it at run time,
/// so that a client cannot turn on the commands that can crash or stall the server.
public enum ProtectedCommandAccess: String, Sendable, CaseIterable {
    /// Nobody.
    case no
    /// Every client.
    case yes
    /// Local clients only (`ClientSession.isLocal`: a Unix socket, 127.0.0.1 or ::1).
    case local

    /// Redis's `allowProtectedAction`.
    @inlinable
    public func allows(_ session: ClientSession) -> Bool {
        switch self {
        case .no: return false
        case .yes: return true
        case .local: return session.isLocal
        }
    }
}
