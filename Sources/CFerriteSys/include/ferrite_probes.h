// What the eBPF thread probes record, shared by the BPF program (bpf/thread_probes.bpf.c,
// compiled for the BPF target) and the loader in probes.c: plain C types whose sizes are the
// same on both sides.
#ifndef FERRITE_PROBES_H
#define FERRITE_PROBES_H

/// Buckets of the run-queue wait histogram: bucket 0 counts waits under 2 µs, bucket i (i > 0)
/// waits in [2^i, 2^(i+1)) µs; the last one everything longer.
#define FERRITE_PROBE_WAIT_BUCKETS 24

/// One thread's scheduling, per measurement: how often and how long it waited runnable in a
/// run queue (after a wake-up or a preemption) before it got a CPU.
struct ferrite_thread_probe {
    unsigned long long waits;
    unsigned long long wait_ns;
    unsigned long long max_wait_ns;
    /// Times it was switched out while still runnable (preempted, not blocked).
    unsigned long long preemptions;
    unsigned long long wait_buckets[FERRITE_PROBE_WAIT_BUCKETS];
};

/// The system-call counter's key: which thread made which call (the x86-64 call number).
struct ferrite_syscall_key {
    unsigned int tid;
    unsigned int number;
};

#endif
