// The C shim: only what Swift cannot import by itself from the system headers.
#ifndef CFERRITESYS_H
#define CFERRITESYS_H

// System headers first, so that liburing.h's feature macros (_GNU_SOURCE, _XOPEN_SOURCE) do not
// change the definitions Swift's Glibc module already has (fd_set would differ otherwise).
#include <sys/types.h>
#include <sys/select.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sched.h>
#include <errno.h>
#include <malloc.h>
#include <liburing.h>

/// errno, which Swift cannot read portably as a thread-local macro.
static inline int ferrite_errno(void) { return errno; }

/// The provided-buffer id in a recv completion's flags (a macro in the kernel header).
static inline unsigned ferrite_cqe_buffer_id(const struct io_uring_cqe *cqe) {
    return cqe->flags >> IORING_CQE_BUFFER_SHIFT;
}

static inline int ferrite_cqe_has_more(const struct io_uring_cqe *cqe) {
    return (cqe->flags & IORING_CQE_F_MORE) != 0;
}

static inline int ferrite_cqe_has_buffer(const struct io_uring_cqe *cqe) {
    return (cqe->flags & IORING_CQE_F_BUFFER) != 0;
}

/// Makes a receive SQE pick its buffer from provided-buffer group `group`
/// (IOSQE_BUFFER_SELECT is a macro Swift cannot import).
static inline void ferrite_sqe_select_buffer(struct io_uring_sqe *sqe, unsigned short group) {
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = group;
}

/// Makes an SQE name its socket by index in the ring's registered file table instead of by
/// descriptor (IOSQE_FIXED_FILE, a macro Swift cannot import): the kernel skips the per-request
/// file lookup and reference count.
static inline void ferrite_sqe_use_fixed_file(struct io_uring_sqe *sqe) {
    sqe->flags |= IOSQE_FIXED_FILE;
}

/// Prepares an IORING_OP_MSG_RING that posts a completion carrying `data` to the ring
/// `ring_fd` (another shard's), waking it if it waits; the sender gets a completion of its own
/// only if the message fails (IOSQE_CQE_SKIP_SUCCESS, a macro Swift cannot import).
static inline void ferrite_prep_wake(struct io_uring_sqe *sqe, int ring_fd, unsigned long long data) {
    io_uring_prep_msg_ring(sqe, ring_fd, 0, data, 0);
    sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
}

/// A provided-buffer ring: `count` buffers of `size` bytes registered with an io_uring as buffer
/// group `group`. The kernel picks a free buffer for each multishot receive completion; the
/// owner reads it and gives it back, and `publish` returns what was given to the kernel.
/// liburing 2.4 has io_uring_setup_buf_ring for the registration; Debian 12 ships 2.3. Both the
/// server's shards and ferrite-bench's workers receive this way, so it lives here once.
/// Memory: two mmap'd regions, freed by `ferrite_buffer_pool_destroy` after the ring is gone.
struct ferrite_buffer_pool {
    struct io_uring_buf_ring *ring;
    unsigned char *buffers;
    unsigned count;  // a power of two, at most 32768
    unsigned size;
    int pending;     // buffers given back since the last publish
};

/// Maps and registers the pool; 0, or -errno with nothing left mapped.
int ferrite_buffer_pool_init(struct ferrite_buffer_pool *pool, struct io_uring *ring, unsigned count, unsigned size,
                             unsigned short group);
/// Unmaps the pool (a pool that failed to initialise, or was zeroed, is fine).
void ferrite_buffer_pool_destroy(struct ferrite_buffer_pool *pool);

/// The bytes of buffer `id`: the owner's to read until it gives the buffer back.
static inline void *ferrite_buffer_pool_buffer(const struct ferrite_buffer_pool *pool, unsigned short id) {
    return pool->buffers + (size_t)id * pool->size;
}

/// Gives buffer `id` back (the kernel sees it after the next publish).
static inline void ferrite_buffer_pool_give(struct ferrite_buffer_pool *pool, unsigned short id) {
    io_uring_buf_ring_add(pool->ring, ferrite_buffer_pool_buffer(pool, id), pool->size, id,
                          io_uring_buf_ring_mask(pool->count), pool->pending++);
}

/// Makes the buffers given back since the last call available to the kernel.
static inline void ferrite_buffer_pool_publish(struct ferrite_buffer_pool *pool) {
    if (pool->pending == 0) return;
    io_uring_buf_ring_advance(pool->ring, pool->pending);
    pool->pending = 0;
}

/// accept4 (a GNU extension the Glibc module does not export): a non-blocking, close-on-exec
/// client socket, or -1 with errno.
int ferrite_accept(int listener);


/// SIGTERM/SIGINT set a flag the event loops poll (after their wait returns EINTR);
/// SIGPIPE is ignored so a closed peer shows up as EPIPE instead of killing the process.
void ferrite_install_signal_handlers(void);
/// The signal that asked the server to stop, or 0.
int ferrite_stop_signal(void);

/// Restricts the calling thread (and the threads it creates later) to `cpus`; 0 or -1 with errno.
int ferrite_set_process_affinity(const int *cpus, int count);

/// The CPUs of the calling thread's affinity mask, at most `capacity` of them, in order;
/// their count, or -1 with errno.
int ferrite_process_cpus(int *cpus, int capacity);
/// Pins the calling thread to `cpu`; 0 or -1 with errno.
int ferrite_pin_thread(int cpu);
/// Names the calling thread (the first 15 bytes of `name`) as ps, top and perf show it.
int ferrite_name_thread(const char *name);
/// Makes the calling thread allocate from the NUMA node of `cpu` (libnuma's preferred node);
/// the node, or -1 when the kernel has no NUMA support.
int ferrite_numa_prefer_node_of(int cpu);

/// What the process's malloc reports, in bytes (INFO memory's allocator_* fields).
struct ferrite_allocator_statistics {
    size_t allocated;  // handed out to the program
    size_t active;     // in pages the allocator uses for those blocks
    size_t resident;   // held from the kernel
};
/// jemalloc's version string ("5.3.0-0-g…"), or NULL when the process does not run on jemalloc.
const char *ferrite_jemalloc_version(void);
/// Fills `out` from jemalloc's mallctl; 0 when the process does not run on jemalloc.
int ferrite_jemalloc_statistics(struct ferrite_allocator_statistics *out);
/// mimalloc's version as mi_version() gives it (209 for 2.0.9), or 0 when not loaded.
int ferrite_mimalloc_version(void);
/// The calling thread's mimalloc heap, or NULL when the process does not run on mimalloc.
void *ferrite_mimalloc_thread_heap(void);
/// Fills `out` from mimalloc: what the `count` heaps hold (their threads must not be
/// allocating meanwhile) and, as resident, all committed memory; 0 when the process does not
/// run on mimalloc.
int ferrite_mimalloc_statistics(void *const *heaps, int count, struct ferrite_allocator_statistics *out);
/// Fills `out` from glibc's mallinfo2.
void ferrite_libc_statistics(struct ferrite_allocator_statistics *out);
/// MEMORY MALLOC-STATS: the running allocator's own statistics report (jemalloc's
/// malloc_stats_print, mimalloc's mi_stats_print_out), handed to `write` piece by piece; 0
/// when it has none (glibc), 1 otherwise.
int ferrite_allocator_report(void (*write)(void *context, const char *text), void *context);
/// MEMORY PURGE: gives the allocator's free pages back to the kernel (jemalloc's arena purge,
/// mimalloc's mi_collect, glibc's malloc_trim); 0 on success.
int ferrite_allocator_purge(void);

/// The CPU's time-stamp counter (x86-64), or 0 elsewhere: a clock cheap enough to time every
/// command.
#if defined(__x86_64__)
#include <x86intrin.h>
static inline unsigned long long ferrite_cycles(void) { return __rdtsc(); }
#else
static inline unsigned long long ferrite_cycles(void) { return 0; }
#endif

/// A spin-wait hint to the CPU (x86-64's PAUSE), for short waits on another shard.
#if defined(__x86_64__)
static inline void ferrite_cpu_relax(void) { __builtin_ia32_pause(); }
#else
static inline void ferrite_cpu_relax(void) {}
#endif

/// Asks the CPU to start loading the cache line at `address` for reading, without waiting for
/// it. Only a hint: any address may be given, a bad one is ignored rather than faulting.
static inline void ferrite_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// SHA-256 of `count` bytes at `data` into `digest` (32 bytes), with OpenSSL's libcrypto: the
/// default user's password is kept and compared only as its digest, as Redis keeps it.
void ferrite_sha256(const void *data, size_t count, unsigned char digest[32]);
/// 1 when the `count` bytes at `a` and `b` are equal, 0 otherwise, in time that does not depend
/// on where they differ (OpenSSL's CRYPTO_memcmp).
int ferrite_constant_time_equal(const void *a, const void *b, size_t count);

// eBPF thread probes (probes.c, libbpf): run-queue waits and system calls of one process's
// threads, for ferrite-bench experiments.
#include "ferrite_probes.h"

typedef struct ferrite_probes ferrite_probes;
/// Loads the compiled probes at `object_path`, aims them at process `pid` and attaches them;
/// NULL with a one-line `reason` when the object, the kernel or the privileges do not allow it.
ferrite_probes *ferrite_probes_start(const char *object_path, int pid, char *reason, size_t reason_size);
/// Detaches the probes and frees them (NULL is fine).
void ferrite_probes_stop(ferrite_probes *probes);
/// Forgets what was counted, so that the next reads cover from now on.
void ferrite_probes_clear(ferrite_probes *probes);
/// The thread record after `previous` (NULL: the first): 0, or -1 past the last.
int ferrite_probes_next_thread(const ferrite_probes *probes, const unsigned *previous, unsigned *tid,
                               struct ferrite_thread_probe *value);
/// The system-call count after `previous` (NULL: the first): 0, or -1 past the last.
int ferrite_probes_next_syscall(const ferrite_probes *probes, const struct ferrite_syscall_key *previous,
                                struct ferrite_syscall_key *key, unsigned long long *count);

#endif
