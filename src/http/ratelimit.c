/* ratelimit.c - fixed-size open-addressed table of token buckets behind one mutex. When the
 * table is full the stalest bucket is reused (an attacker cycling keys only refills others). */
#include "http/ratelimit.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define KEYLEN 80

struct bucket {
    char key[KEYLEN];
    double tokens;
    double at;
};

struct ratelimit {
    pthread_mutex_t mu;
    double rate, burst;
    struct bucket b[SLOTS];
};

struct ratelimit *ratelimit_new(double rate, double burst)
{
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl) return NULL;
    pthread_mutex_init(&rl->mu, NULL);
    rl->rate = rate;
    rl->burst = burst;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl) return;
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

bool ratelimit_take(struct ratelimit *rl, const char *key, double now, int *retry_after)
{
    char k[KEYLEN];
    strncpy(k, key, KEYLEN - 1);
    k[KEYLEN - 1] = '\0';
    pthread_mutex_lock(&rl->mu);
    unsigned h = hash(k) % SLOTS;
    struct bucket *found = NULL, *stalest = NULL;
    for (unsigned i = 0; i < 16; i++) {
        struct bucket *b = &rl->b[(h + i) % SLOTS];
        if (strcmp(b->key, k) == 0) {
            found = b;
            break;
        }
        if (!stalest || b->at < stalest->at) stalest = b;
    }
    if (!found) {
        found = stalest;
        strcpy(found->key, k);
        found->tokens = rl->burst;
        found->at = now;
    }
    found->tokens = fmin(rl->burst, found->tokens + (now - found->at) * rl->rate);
    found->at = now;
    bool ok = found->tokens >= 1.0;
    if (ok)
        found->tokens -= 1.0;
    else
        *retry_after = (int)ceil((1.0 - found->tokens) / rl->rate);
    pthread_mutex_unlock(&rl->mu);
    return ok;
}
