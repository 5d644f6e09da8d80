// The eBPF thread probes' loader (libbpf): loads bpf/thread_probes.bpf.o, aims it at one
// process, attaches its programs, and reads and clears what they counted. Swift cannot use
// libbpf's macros and iterators, so this small surface is all it sees.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "CFerriteSys.h"

enum { MAX_LINKS = 8 };

struct ferrite_probes {
    struct bpf_object *object;
    struct bpf_link *links[MAX_LINKS];
    int link_count;
    int threads_fd, syscalls_fd;
};

static int quiet(enum libbpf_print_level level, const char *format, va_list arguments) {
    (void)level, (void)format, (void)arguments;
    return 0;
}

static void describe(char *reason, size_t size, const char *step, int error) {
    snprintf(reason, size, "%s: %s", step, strerror(error < 0 ? -error : error));
}

ferrite_probes *ferrite_probes_start(const char *object_path, int pid, char *reason, size_t reason_size) {
    libbpf_set_print(quiet);
    ferrite_probes *probes = calloc(1, sizeof *probes);
    if (!probes) {
        describe(reason, reason_size, "out of memory", ENOMEM);
        return NULL;
    }
    probes->object = bpf_object__open_file(object_path, NULL);
    if (!probes->object) {
        describe(reason, reason_size, "cannot open the BPF object", errno);
        goto fail;
    }
    int error = bpf_object__load(probes->object);
    if (error) {
        describe(reason, reason_size, "the kernel refuses the BPF programs", error);
        goto fail;
    }
    int target_fd = bpf_object__find_map_fd_by_name(probes->object, "target");
    probes->threads_fd = bpf_object__find_map_fd_by_name(probes->object, "threads");
    probes->syscalls_fd = bpf_object__find_map_fd_by_name(probes->object, "syscalls");
    if (target_fd < 0 || probes->threads_fd < 0 || probes->syscalls_fd < 0) {
        describe(reason, reason_size, "the BPF object lacks the probes' maps", ENOENT);
        goto fail;
    }
    unsigned zero = 0, target = (unsigned)pid;
    if (bpf_map_update_elem(target_fd, &zero, &target, BPF_ANY) != 0) {
        describe(reason, reason_size, "cannot set the target process", errno);
        goto fail;
    }
    struct bpf_program *program;
    bpf_object__for_each_program(program, probes->object) {
        struct bpf_link *link = bpf_program__attach(program);
        if (!link || probes->link_count == MAX_LINKS) {
            char step[128];
            snprintf(step, sizeof step, "cannot attach %s", bpf_program__section_name(program));
            describe(reason, reason_size, step, link ? E2BIG : errno);
            if (link) bpf_link__destroy(link);
            goto fail;
        }
        probes->links[probes->link_count++] = link;
    }
    return probes;
fail:
    ferrite_probes_stop(probes);
    return NULL;
}

void ferrite_probes_stop(ferrite_probes *probes) {
    if (!probes) return;
    for (int i = 0; i < probes->link_count; i++) bpf_link__destroy(probes->links[i]);
    if (probes->object) bpf_object__close(probes->object);
    free(probes);
}

/// Deletes every entry of a hash map (always the first key, so deletion never upsets the walk).
static void clear_map(int fd, size_t key_size) {
    unsigned char key[16];
    if (key_size > sizeof key) return;
    while (bpf_map_get_next_key(fd, NULL, key) == 0) {
        if (bpf_map_delete_elem(fd, key) != 0) break;
    }
}

void ferrite_probes_clear(ferrite_probes *probes) {
    clear_map(probes->threads_fd, sizeof(unsigned));
    clear_map(probes->syscalls_fd, sizeof(struct ferrite_syscall_key));
}

int ferrite_probes_next_thread(const ferrite_probes *probes, const unsigned *previous, unsigned *tid,
                               struct ferrite_thread_probe *value) {
    if (bpf_map_get_next_key(probes->threads_fd, previous, tid) != 0) return -1;
    return bpf_map_lookup_elem(probes->threads_fd, tid, value) == 0 ? 0 : -1;
}

int ferrite_probes_next_syscall(const ferrite_probes *probes, const struct ferrite_syscall_key *previous,
                                struct ferrite_syscall_key *key, unsigned long long *count) {
    if (bpf_map_get_next_key(probes->syscalls_fd, previous, key) != 0) return -1;
    return bpf_map_lookup_elem(probes->syscalls_fd, key, count) == 0 ? 0 : -1;
}
