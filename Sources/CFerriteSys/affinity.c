// CPU affinity: CPU_SET and friends are macros Swift cannot import.
#define _GNU_SOURCE
#include <sched.h>
#include "CFerriteSys.h"

int ferrite_set_process_affinity(const int *cpus, int count) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= CPU_SETSIZE) return -1;
        CPU_SET(cpus[i], &set);
    }
    return sched_setaffinity(0, sizeof(set), &set);
}
