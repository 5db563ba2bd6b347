/* arena.h - a bump allocator for per-request memory (like nginx pools). Everything allocated
 * from an arena is freed at once by arena_free(); nothing in it is freed one by one. */
#ifndef ECOACT_ARENA_H
#define ECOACT_ARENA_H
#include <stddef.h>
#include <stdarg.h>

struct arena;

struct arena *arena_new(size_t block_size);
void arena_free(struct arena *a); /* NULL is a no-op */
/* Zeroed memory, aligned for any type. Aborts on out-of-memory (a request cannot go on). */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far, for tests and metrics. */
size_t arena_used(const struct arena *a);

#endif
