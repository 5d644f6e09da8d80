// NUMA placement through libnuma: a shard's memory comes from its CPU's node.
#include <numa.h>
#include "CFerriteSys.h"

int ferrite_numa_prefer_node_of(int cpu) {
    if (numa_available() < 0) return -1;
    int node = numa_node_of_cpu(cpu);
    if (node < 0) return -1;
    numa_set_preferred(node);
    return node;
}
