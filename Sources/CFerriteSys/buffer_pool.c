#include <sys/mman.h>
#include "CFerriteSys.h"

int ferrite_buffer_pool_init(struct ferrite_buffer_pool *pool, struct io_uring *ring, unsigned count, unsigned size,
                             unsigned short group) {
    if (count == 0 || (count & (count - 1)) != 0 || count > 32768 || size == 0) return -EINVAL;
    size_t ring_bytes = (size_t)count * sizeof(struct io_uring_buf);
    void *ring_memory = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (ring_memory == MAP_FAILED) return -errno;
    void *buffers = mmap(NULL, (size_t)count * size, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (buffers == MAP_FAILED) {
        int error = errno;
        munmap(ring_memory, ring_bytes);
        return -error;
    }
    struct io_uring_buf_reg registration = {
        .ring_addr = (unsigned long)ring_memory, .ring_entries = count, .bgid = group};
    int result = io_uring_register_buf_ring(ring, &registration, 0);
    if (result < 0) {
        munmap(ring_memory, ring_bytes);
        munmap(buffers, (size_t)count * size);
        return result;
    }
    pool->ring = ring_memory;
    pool->buffers = buffers;
    pool->count = count;
    pool->size = size;
    pool->pending = 0;
    io_uring_buf_ring_init(pool->ring);
    for (unsigned id = 0; id < count; id++) ferrite_buffer_pool_give(pool, (unsigned short)id);
    ferrite_buffer_pool_publish(pool);
    return 0;
}

void ferrite_buffer_pool_destroy(struct ferrite_buffer_pool *pool) {
    if (pool->ring == NULL) return;
    munmap(pool->ring, (size_t)pool->count * sizeof(struct io_uring_buf));
    munmap(pool->buffers, (size_t)pool->count * pool->size);
    pool->ring = NULL;
}
