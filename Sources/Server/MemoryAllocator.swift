import CFerriteSys
import Glibc

/// The malloc the server runs on: glibc's (`system`), jemalloc or mimalloc (`allocator` in
/// the config).
///
/// Mechanism: preloading. When the configured allocator is not the one the process runs on,
/// start-up re-executes the binary with the allocator's Debian library in `LD_PRELOAD`, so
/// every allocation — the Swift runtime's objects, index tables, large values — goes to it
/// with no cost per call (the dynamic linker binds `malloc` to it directly). Linking three
/// binaries would do the same at build time; routing only our own allocations through an
/// allocator API would leave the runtime's on glibc and add an indirection to each.
public enum MemoryAllocator: String, Sendable, CaseIterable {
    case system
    case jemalloc
    case mimalloc

    /// The shared library LD_PRELOAD names, as Debian installs it (libjemalloc2, libmimalloc2.0).
    var libraryName: String? {
        switch self {
        case .system: nil
        case .jemalloc: "libjemalloc.so.2"
        case .mimalloc: "libmimalloc.so.2"
        }
    }

    /// The allocator the running process actually uses, found by its exported functions.
    static var running: MemoryAllocator {
        if ferrite_jemalloc_version() != nil { return .jemalloc }
        if ferrite_mimalloc_version() != 0 { return .mimalloc }
        return .system
    }

    /// INFO's `mem_allocator`, in Redis's words: `libc`, `jemalloc-5.3.0`, `mimalloc-2.0.9`.
    static var runningDescription: String {
        if let version = ferrite_jemalloc_version() {
            return "jemalloc-" + String(cString: version).prefix { $0 != "-" }
        }
        let mimalloc = Int(ferrite_mimalloc_version())
        if mimalloc != 0 { return "mimalloc-\(mimalloc / 100).\(mimalloc / 10 % 10).\(mimalloc % 10)" }
        return "libc"
    }

    /// The running allocator's own figures. mimalloc keeps a heap per thread: `threadHeaps`
    /// are the shards' (`ferrite_mimalloc_thread_heap` on each shard thread), read while those
    /// threads are held.
    static func statistics(threadHeaps: [UnsafeMutableRawPointer?]) -> ferrite_allocator_statistics {
        var statistics = ferrite_allocator_statistics()
        if ferrite_jemalloc_statistics(&statistics) != 0 {
            return statistics
        }
        let isMimalloc = threadHeaps.withUnsafeBufferPointer { heaps in
            heaps.withMemoryRebound(to: UnsafeMutableRawPointer?.self) {
                ferrite_mimalloc_statistics($0.baseAddress, Int32($0.count), &statistics) != 0
            }
        }
        if isMimalloc { return statistics }
        ferrite_libc_statistics(&statistics)
        return statistics
    }
}

/// Start-up step that puts the process on the configured allocator (see `MemoryAllocator`).
enum AllocatorPreload {
    /// Set in the environment of the re-executed process, so a preload that did not take
    /// effect stops start-up instead of re-executing forever.
    static let markerVariable = "FERRITE_ALLOCATOR_PRELOAD"
    static let librarySearchPath = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]

    /// Returns when the process runs on `wanted`; otherwise re-executes itself with the
    /// library preloaded (and does not return), or returns the reason it cannot.
    static func ensure(_ wanted: MemoryAllocator, arguments: [String]) -> String? {
        let running = MemoryAllocator.running
        let attempted = getenv(markerVariable) != nil
        if attempted {
            unsetenv(markerVariable)
            unsetenv("LD_PRELOAD")
        }
        if running == wanted || wanted == .system { return nil }
        guard let name = wanted.libraryName else { return nil }
        if attempted { return "allocator \(wanted.rawValue): \(name) was preloaded but the process does not run on it" }
        guard let path = librarySearchPath.map({ $0 + "/" + name }).first(where: { access($0, R_OK) == 0 }) else {
            return "allocator \(wanted.rawValue): \(name) not found (Debian package \(wanted == .jemalloc ? "libjemalloc2" : "libmimalloc2.0"))"
        }
        let existing = getenv("LD_PRELOAD").map { String(cString: $0) } ?? ""
        setenv("LD_PRELOAD", existing.isEmpty ? path : path + ":" + existing, 1)
        setenv(markerVariable, wanted.rawValue, 1)
        var argv = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", argv)
        return "allocator \(wanted.rawValue): re-executing with \(name) failed: \(String(cString: strerror(errno)))"
    }
}
