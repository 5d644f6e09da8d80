import CFerriteSys
import Foundation

/// eBPF probes on one server process's threads (an experiment with `probes: true`): per thread,
/// how often and how long it waited runnable in a run queue before it got a CPU, and which
/// system calls it made. Run-queue waits show a shard that shares its CPU with another thread;
/// system calls per operation show what batching saves. They need the compiled BPF object
/// (`make probes`), a kernel with BTF and CAP_BPF with CAP_PERFMON; without them `init` throws
/// the reason and the experiment records "probes unavailable" and goes on.
final class ThreadProbes {
    /// Where `make probes` puts the compiled object, relative to the checkout.
    static let defaultObject = ".build/bpf/thread_probes.bpf.o"

    private let handle: OpaquePointer
    private let pid: Int32

    init(object: String, pid: Int32) throws(ProbesUnavailable) {
        guard FileManager.default.fileExists(atPath: object) else { throw ProbesUnavailable("\(object) is missing (make probes builds it)") }
        var reason = [CChar](repeating: 0, count: 256)
        guard let handle = ferrite_probes_start(object, pid, &reason, reason.count) else {
            throw ProbesUnavailable(String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.handle = handle
        self.pid = pid
    }

    deinit { ferrite_probes_stop(handle) }

    /// Starts a measurement: what was counted so far is forgotten.
    func clear() { ferrite_probes_clear(handle) }

    /// What each thread did since `clear()`, by thread id.
    func read() -> [ResultFile.ThreadProbe] {
        var syscalls: [UInt32: [String: Int]] = [:]
        var key = ferrite_syscall_key()
        var count: UInt64 = 0
        var status = ferrite_probes_next_syscall(handle, nil, &key, &count)
        while status == 0 {
            syscalls[key.tid, default: [:]][SyscallNames.name(of: Int(key.number)), default: 0] += Int(count)
            let previous = key
            status = withUnsafePointer(to: previous) { ferrite_probes_next_syscall(handle, $0, &key, &count) }
        }
        var scheduling: [UInt32: ferrite_thread_probe] = [:]
        var tid: UInt32 = 0
        var value = ferrite_thread_probe()
        status = ferrite_probes_next_thread(handle, nil, &tid, &value)
        while status == 0 {
            scheduling[tid] = value
            let previous = tid
            status = withUnsafePointer(to: previous) { ferrite_probes_next_thread(handle, $0, &tid, &value) }
        }
        return Set(syscalls.keys).union(scheduling.keys).sorted().map { tid in
            let calls = syscalls[tid] ?? [:]
            let waits = scheduling[tid] ?? ferrite_thread_probe()
            let buckets = withUnsafeBytes(of: waits.wait_buckets) { Array($0.bindMemory(to: UInt64.self)).map { Int($0) } }
            return ResultFile.ThreadProbe(
                thread: threadName(tid), tid: Int(tid), syscalls: calls.values.reduce(0, +),
                syscallsByName: calls.map { .init(name: $0.key, count: $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) },
                runQueueWaits: Int(waits.waits), runQueueWaitMicros: Double(waits.wait_ns) / 1000,
                runQueueMaxWaitMicros: Double(waits.max_wait_ns) / 1000, preemptions: Int(waits.preemptions),
                runQueueWaitBuckets: buckets)
        }
    }

    /// The thread's name (`shard-0`, `redis-server`, `bio_close_file`…), as the kernel has it.
    private func threadName(_ tid: UInt32) -> String {
        let comm = (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8)) ?? ""
        let name = comm.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? "thread \(tid)" : name
    }
}

/// Why the probes could not run, in one line for the run's record.
struct ProbesUnavailable: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// x86-64 system call names by number, read from the kernel's UAPI header (linux-libc-dev,
/// which building ferrite-bench needs anyway); a number it does not name stays a number.
enum SyscallNames {
    static let header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"

    static let table: [Int: String] = {
        guard let text = try? String(contentsOfFile: header, encoding: .utf8) else { return [:] }
        var names: [Int: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("#define __NR_") {
            let parts = line.split(separator: " ")
            if parts.count == 3, let number = Int(parts[2]) { names[number] = String(parts[1].dropFirst(5)) }
        }
        return names
    }()

    static func name(of number: Int) -> String { table[number] ?? "syscall \(number)" }
}
