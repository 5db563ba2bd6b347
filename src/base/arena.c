/* arena.c - bump allocator: a chain of blocks; large requests get a block of their own. */
#include "base/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct block *head;
    size_t block_size, total;
};

static struct block *block_new(size_t size)
{
    struct block *b = malloc(sizeof *b + size);
    if (!b) {
        fputs("ecoact: out of memory\n", stderr);
        abort();
    }
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

struct arena *arena_new(size_t block_size)
{
    struct arena *a = calloc(1, sizeof *a);
    if (!a) abort();
    a->block_size = block_size ? block_size : 16384;
    a->head = block_new(a->block_size);
    return a;
}

void arena_free(struct arena *a)
{
    if (!a) return;
    for (struct block *b = a->head, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    if (n == 0) n = 1;
    if (n > SIZE_MAX - align) abort();
    n = (n + align - 1) & ~(align - 1);
    struct block *b = a->head;
    if (b->size - b->used < n) {
        if (n > a->block_size / 2) {
            /* A big piece gets its own block, kept behind the head so the head stays usable. */
            struct block *big = block_new(n);
            big->next = b->next;
            b->next = big;
            big->used = n;
            a->total += n;
            memset(big->data, 0, n);
            return big->data;
        }
        b = block_new(a->block_size);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
