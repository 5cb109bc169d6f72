// The heap: a first-fit free list, sorted by address so neighbouring free
// blocks merge. Memory comes from anonymous mmap in chunks of at least
// 64 KiB and is never returned to the kernel.
//
// Every block starts with a 16-byte header; payloads are 16-byte aligned.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct Block {
    size_t size;        // whole block, header included
    struct Block* next; // next free block (free list only)
    uint32_t magic;     // tells malloc'd blocks from wild pointers
    uint32_t padding;
};

enum { HEADER = sizeof(struct Block), ALIGNMENT = 16, CHUNK = 64 * 1024, PAGE = 4096 };
#define MAGIC_USED 0xC011B41Au
#define MAGIC_FREE 0xF4EEB10Cu

static struct Block* s_free_list;
static volatile int s_lock;

static void lock(void)
{
    while (__atomic_exchange_n(&s_lock, 1, __ATOMIC_ACQUIRE))
        sys_yield();
}

static void unlock(void) { __atomic_store_n(&s_lock, 0, __ATOMIC_RELEASE); }

// Puts a block on the free list in address order, merging with neighbours.
static void insert_free(struct Block* block)
{
    block->magic = MAGIC_FREE;
    struct Block* previous = NULL;
    struct Block* next = s_free_list;
    while (next && next < block) {
        previous = next;
        next = next->next;
    }
    if (next && (char*)block + block->size == (char*)next) {
        block->size += next->size;
        next = next->next;
    }
    block->next = next;
    if (previous && (char*)previous + previous->size == (char*)block) {
        previous->size += block->size;
        previous->next = block->next;
    } else if (previous) {
        previous->next = block;
    } else {
        s_free_list = block;
    }
}

static int grow(size_t needed)
{
    size_t size = needed < CHUNK ? CHUNK : (needed + PAGE - 1) & ~(size_t)(PAGE - 1);
    void* memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        return 0;
    struct Block* block = memory;
    block->size = size;
    insert_free(block);
    return 1;
}

void* malloc(size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t needed = (size + HEADER + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
    lock();
    for (int attempt = 0; attempt < 2; ++attempt) {
        struct Block* previous = NULL;
        for (struct Block* block = s_free_list; block; previous = block, block = block->next) {
            if (block->size < needed)
                continue;
            if (block->size - needed >= HEADER + ALIGNMENT) {
                // Split: the tail stays free.
                struct Block* rest = (struct Block*)((char*)block + needed);
                rest->size = block->size - needed;
                rest->next = block->next;
                rest->magic = MAGIC_FREE;
                block->size = needed;
                block->next = rest;
            }
            if (previous)
                previous->next = block->next;
            else
                s_free_list = block->next;
            block->next = NULL;
            block->magic = MAGIC_USED;
            unlock();
            return (char*)block + HEADER;
        }
        if (!grow(needed))
            break;
    }
    unlock();
    return NULL;
}

void free(void* pointer)
{
    if (!pointer)
        return;
    struct Block* block = (struct Block*)((char*)pointer - HEADER);
    if (block->magic != MAGIC_USED)
        abort(); // double free or a pointer malloc never returned
    lock();
    insert_free(block);
    unlock();
}

void* calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void* block = malloc(count * size);
    if (block)
        memset(block, 0, count * size);
    return block;
}

void* realloc(void* pointer, size_t size)
{
    if (!pointer)
        return malloc(size);
    if (size == 0) {
        free(pointer);
        return NULL;
    }
    struct Block* block = (struct Block*)((char*)pointer - HEADER);
    if (block->magic != MAGIC_USED)
        abort();
    size_t capacity = block->size - HEADER;
    if (size <= capacity)
        return pointer;
    void* fresh = malloc(size);
    if (!fresh)
        return NULL;
    memcpy(fresh, pointer, capacity);
    free(pointer);
    return fresh;
}
