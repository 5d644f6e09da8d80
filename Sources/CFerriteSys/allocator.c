// Statistics of whichever malloc the process runs on. jemalloc and mimalloc are not linked:
// the server loads them with LD_PRELOAD (see MemoryAllocator.swift), so their functions are
// looked up at run time and absent when the process runs on glibc's malloc.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <string.h>
#include <mimalloc.h>
#include "CFerriteSys.h"

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);

static mallctl_fn jemalloc_mallctl(void) {
    return (mallctl_fn)dlsym(RTLD_DEFAULT, "mallctl");
}

const char *ferrite_jemalloc_version(void) {
    mallctl_fn mallctl = jemalloc_mallctl();
    if (mallctl == NULL) return NULL;
    const char *version = NULL;
    size_t size = sizeof(version);
    if (mallctl("version", &version, &size, NULL, 0) != 0) return NULL;
    return version;
}

int ferrite_jemalloc_statistics(struct ferrite_allocator_statistics *out) {
    mallctl_fn mallctl = jemalloc_mallctl();
    if (mallctl == NULL) return 0;
    // jemalloc caches its statistics; writing the epoch refreshes them.
    uint64_t epoch = 1;
    size_t epoch_size = sizeof(epoch);
    mallctl("epoch", &epoch, &epoch_size, &epoch, epoch_size);
    size_t size = sizeof(size_t);
    if (mallctl("stats.allocated", &out->allocated, &size, NULL, 0) != 0) return 0;
    if (mallctl("stats.active", &out->active, &size, NULL, 0) != 0) return 0;
    if (mallctl("stats.resident", &out->resident, &size, NULL, 0) != 0) return 0;
    return 1;
}

int ferrite_mimalloc_version(void) {
    int (*version)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "mi_version");
    return version == NULL ? 0 : version();
}

static bool add_area(const mi_heap_t *heap, const mi_heap_area_t *area, void *block, size_t block_size, void *arg) {
    (void)heap; (void)block; (void)block_size;
    struct ferrite_allocator_statistics *out = arg;
    out->allocated += area->used * area->block_size;
    out->active += area->committed;
    return true;
}

void *ferrite_mimalloc_thread_heap(void) {
    typedef mi_heap_t *(*heap_get_fn)(void);
    heap_get_fn heap_get = (heap_get_fn)dlsym(RTLD_DEFAULT, "mi_heap_get_backing");
    return heap_get == NULL ? NULL : heap_get();
}

int ferrite_mimalloc_statistics(void *const *heaps, int count, struct ferrite_allocator_statistics *out) {
    typedef bool (*visit_fn)(const mi_heap_t *, bool, mi_block_visit_fun *, void *);
    typedef void (*process_info_fn)(size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *);
    visit_fn visit = (visit_fn)dlsym(RTLD_DEFAULT, "mi_heap_visit_blocks");
    process_info_fn process_info = (process_info_fn)dlsym(RTLD_DEFAULT, "mi_process_info");
    if (visit == NULL || process_info == NULL) return 0;
    out->allocated = 0;
    out->active = 0;
    // Areas (pages) of the given heaps, without walking their blocks.
    for (int i = 0; i < count; i++) {
        if (heaps[i] != NULL) visit((const mi_heap_t *)heaps[i], false, add_area, out);
    }
    size_t elapsed, user, system, rss, peak_rss, commit, peak_commit, faults;
    process_info(&elapsed, &user, &system, &rss, &peak_rss, &commit, &peak_commit, &faults);
    out->resident = commit;  // every thread's committed memory: what mimalloc holds from the OS
    return 1;
}

void ferrite_libc_statistics(struct ferrite_allocator_statistics *out) {
    struct mallinfo2 info = mallinfo2();
    out->allocated = info.uordblks + info.hblkhd;  // in use: arena blocks plus mmap'd blocks
    out->active = info.arena + info.hblkhd;        // obtained from the kernel
    out->resident = out->active;                   // glibc cannot tell what of it is resident
}

/// Where MEMORY MALLOC-STATS's report goes: `write(context, text)`, jemalloc's callback shape.
struct report_writer {
    void (*write)(void *, const char *);
    void *context;
};

/// mimalloc's callback takes the text first: passes it on to the report's writer.
static void mimalloc_write(const char *text, void *arg) {
    struct report_writer *writer = arg;
    writer->write(writer->context, text);
}

int ferrite_allocator_report(void (*write)(void *, const char *), void *context) {
    typedef void (*jemalloc_print_fn)(void (*)(void *, const char *), void *, const char *);
    typedef void (*mimalloc_print_fn)(void (*)(const char *, void *), void *);
    jemalloc_print_fn jemalloc_print = (jemalloc_print_fn)dlsym(RTLD_DEFAULT, "malloc_stats_print");
    if (jemalloc_mallctl() != NULL && jemalloc_print != NULL) {
        jemalloc_print(write, context, NULL);
        return 1;
    }
    mimalloc_print_fn mimalloc_print = (mimalloc_print_fn)dlsym(RTLD_DEFAULT, "mi_stats_print_out");
    if (mimalloc_print != NULL) {
        struct report_writer writer = {write, context};
        mimalloc_print(mimalloc_write, &writer);
        return 1;
    }
    return 0;
}

int ferrite_allocator_purge(void) {
    mallctl_fn mallctl = jemalloc_mallctl();
    if (mallctl != NULL) {
        // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's dirty pages back to the kernel.
        return mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
    }
    void (*collect)(bool) = (void (*)(bool))dlsym(RTLD_DEFAULT, "mi_collect");
    if (collect != NULL) {
        collect(true);
        return 0;
    }
    malloc_trim(0);
    return 0;
}
