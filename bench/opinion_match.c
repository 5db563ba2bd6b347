/* opinion_match.c - bench/opinion's two tools over the public-opinion matcher (opinion_match.h):
 *   opinion_match gen DIR [MB]   writes DIR/corpus.txt (about MB megabytes of short Chinese posts,
 *                                one a line) and DIR/patterns.txt (10,000 literals, one a line),
 *                                both from a fixed seed;
 *   opinion_match count DIR      compiles the literals into one automaton and counts the lines in
 *                                which any occurs (what `grep -F -c -f` counts), printing the
 *                                count, the build time and MB/s of the pass.
 * The posts mix frequent words with rarer place and pollution words so that about one line in
 * ten holds a literal, as monitoring feeds do. */
#include "opinion/opinion_match.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static unsigned long long seed = 88172645463325252ULL;

static unsigned rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed >> 11);
}

/* A pool of characters: common ones for filler, rarer ones for the literals. */
static const char *const common[] = {"的", "了", "是", "在", "有", "我", "他", "这", "们", "个",
                                     "天", "说", "上", "来", "到", "去", "人", "好", "看", "就",
                                     "们", "也", "还", "很", "都", "大", "小", "多", "里", "和"};
static const char *const rare[] = {"污", "排", "臭", "烟", "尘", "噪", "渣", "油", "泄", "漏",
                                   "江", "河", "湖", "库", "厂", "矿", "焚", "烧", "垃", "圾",
                                   "渝", "州", "涪", "陵", "綦", "璧", "潼", "荣", "梁", "武"};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int gen(const char *dir, long mb)
{
    char path[4096];
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/patterns.txt", dir);
    FILE *p = fopen(path, "w");
    if (!p) return perror(path), 1;
    for (int i = 0; i < 10000; i++) {
        int len = 3 + (int)(rnd() % 3);
        for (int j = 0; j < len; j++)
            fputs(rare[rnd() % 30], p);
        fputc('\n', p);
    }
    fclose(p);
    snprintf(path, sizeof path, "%s/corpus.txt", dir);
    FILE *c = fopen(path, "w");
    if (!c) return perror(path), 1;
    long long want = (long long)mb << 20, at = 0;
    while (at < want) {
        int chars = 20 + (int)(rnd() % 100);
        for (int j = 0; j < chars; j++) {
            const char *ch = rnd() % 8 == 0 ? rare[rnd() % 30] : common[rnd() % 30];
            fputs(ch, c);
            at += 3;
        }
        if (rnd() % 3 == 0) fputs("，", c), at += 3;
        fputc('\n', c);
        at++;
    }
    fclose(c);
    printf("wrote %s/corpus.txt (%lld MB) and %s/patterns.txt (10000 literals)\n", dir, at >> 20,
           dir);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[n] = 0;
    *len = (size_t)n;
    return b;
}

static int count(const char *dir)
{
    char path[4096];
    size_t plen, clen;
    snprintf(path, sizeof path, "%s/patterns.txt", dir);
    char *pat = slurp(path, &plen);
    snprintf(path, sizeof path, "%s/corpus.txt", dir);
    FILE *corpus = fopen(path, "rb");
    if (!pat || !corpus) return fprintf(stderr, "run gen first\n"), 1;
    size_t n = 0;
    for (size_t i = 0; i < plen; i++)
        n += pat[i] == '\n';
    struct om_rule_src *rs = calloc(n + 1, sizeof *rs);
    char(*q)[64] = calloc(n + 1, sizeof *q);
    size_t k = 0;
    for (char *s = pat; *s && k < n;) {
        char *e = strchr(s, '\n');
        if (!e) break;
        snprintf(q[k], sizeof q[k], "\"%.*s\"", (int)(e - s), s);
        rs[k].expr = q[k];
        k++;
        s = e + 1;
    }
    struct om_error err;
    size_t bad;
    double t0 = now_s();
    struct om_set *set = om_build(rs, k, &err, &bad);
    double built = now_s() - t0;
    if (!set) return fprintf(stderr, "rule %zu: %s\n", bad, err.msg), 1;
    /* streamed in 1 MiB blocks (a line cut at a block's end is carried over), so the memory is
     * the automaton's and not the corpus's */
    t0 = now_s();
    size_t lines = 0, cap = 1u << 20, have = 0;
    clen = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        size_t got = fread(buf + have, 1, cap - have, corpus);
        clen += got;
        have += got;
        if (have == 0) break;
        char *s = buf, *end = buf + have;
        for (;;) {
            char *e = memchr(s, '\n', (size_t)(end - s));
            if (!e) break;
            lines += om_any(set, s, (size_t)(e - s));
            s = e + 1;
        }
        have = (size_t)(end - s);
        if (got == 0) { /* the last line without its newline */
            if (have) lines += om_any(set, s, have);
            break;
        }
        if (have == cap) { /* one line longer than the block: grow */
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) return fprintf(stderr, "out of memory\n"), 1;
            buf = nb;
            continue;
        }
        memmove(buf, s, have);
    }
    fclose(corpus);
    free(buf);
    double sec = now_s() - t0;
    printf("%zu\n", lines);
    fprintf(stderr,
            "ecoact: %zu literals, %zu states, built in %.1f ms; %.1f MB in %.3f s = %.0f MB/s\n",
            om_literals(set), om_states(set), built * 1000, clen / 1e6, sec, clen / 1e6 / sec);
    om_free(set);
    free(rs);
    free(q);
    free(pat);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "gen") == 0)
        return gen(argv[2], argc > 3 ? atol(argv[3]) : 200);
    if (argc >= 3 && strcmp(argv[1], "count") == 0) return count(argv[2]);
    fprintf(stderr, "usage: opinion_match gen DIR [MB] | count DIR\n");
    return 2;
}
