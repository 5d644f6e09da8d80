// eBPF probes on one process's threads, for ferrite-bench experiments (`probes: true`):
// run-queue waits per thread (from becoming runnable to running) and system calls per thread
// and call. Built by `make probes` with clang's BPF target; the few kernel fields it reads are
// relocated against the running kernel's BTF at load (CO-RE), so one object serves any kernel
// that has BTF. The loader (probes.c) writes the process id into `target` after loading.
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "../include/ferrite_probes.h"

char LICENSE[] SEC("license") = "GPL";

struct pt_regs;

/// The two fields of the kernel's task_struct we read; their offsets come from the kernel's BTF.
struct task_struct {
    int pid;
    int tgid;
} __attribute__((preserve_access_index));

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} target SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, __u64);
} runnable_since SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, struct ferrite_thread_probe);
} threads SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, struct ferrite_syscall_key);
    __type(value, __u64);
} syscalls SEC(".maps");

static __always_inline int is_target(int tgid) {
    __u32 zero = 0;
    __u32 *wanted = bpf_map_lookup_elem(&target, &zero);
    return wanted && *wanted == (__u32)tgid;
}

static __always_inline struct ferrite_thread_probe *thread_entry(__u32 tid) {
    struct ferrite_thread_probe *entry = bpf_map_lookup_elem(&threads, &tid);
    if (entry) return entry;
    struct ferrite_thread_probe fresh = {};
    bpf_map_update_elem(&threads, &tid, &fresh, BPF_NOEXIST);
    return bpf_map_lookup_elem(&threads, &tid);
}

static __always_inline void mark_runnable(__u32 tid) {
    __u64 now = bpf_ktime_get_ns();
    bpf_map_update_elem(&runnable_since, &tid, &now, BPF_ANY);
}

static __always_inline __u32 wait_bucket(__u64 nanoseconds) {
    __u64 micros = nanoseconds / 1000;
    __u32 bucket = 0;
    for (int i = 0; i < FERRITE_PROBE_WAIT_BUCKETS - 1; i++) {
        if (micros < 2) break;
        micros >>= 1;
        bucket++;
    }
    return bucket;
}

static __always_inline int woken(struct task_struct *task) {
    if (is_target(task->tgid)) mark_runnable(task->pid);
    return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *task) { return woken(task); }

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(on_wakeup_new, struct task_struct *task) { return woken(task); }

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state) {
    // Switched out while still runnable (TASK_RUNNING is 0): it waits in the run queue from now.
    if (prev_state == 0 && is_target(prev->tgid)) {
        __u32 tid = prev->pid;
        struct ferrite_thread_probe *entry = thread_entry(tid);
        if (entry) __sync_fetch_and_add(&entry->preemptions, 1);
        mark_runnable(tid);
    }
    if (!is_target(next->tgid)) return 0;
    __u32 tid = next->pid;
    __u64 *since = bpf_map_lookup_elem(&runnable_since, &tid);
    if (!since) return 0;
    __u64 waited = bpf_ktime_get_ns() - *since;
    bpf_map_delete_elem(&runnable_since, &tid);
    struct ferrite_thread_probe *entry = thread_entry(tid);
    if (!entry) return 0;
    __sync_fetch_and_add(&entry->waits, 1);
    __sync_fetch_and_add(&entry->wait_ns, waited);
    if (waited > entry->max_wait_ns) entry->max_wait_ns = waited;
    __u32 bucket = wait_bucket(waited);
    if (bucket < FERRITE_PROBE_WAIT_BUCKETS) __sync_fetch_and_add(&entry->wait_buckets[bucket], 1);
    return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long number) {
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    if (!is_target(pid_tgid >> 32)) return 0;
    struct ferrite_syscall_key key = { .tid = (__u32)pid_tgid, .number = (__u32)number };
    __u64 *count = bpf_map_lookup_elem(&syscalls, &key);
    if (count) {
        __sync_fetch_and_add(count, 1);
    } else {
        __u64 one = 1;
        bpf_map_update_elem(&syscalls, &key, &one, BPF_NOEXIST);
    }
    return 0;
}
