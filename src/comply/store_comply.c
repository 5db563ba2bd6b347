/* store_comply.c - the area's storage: the in-memory index of accepted reports (comply owns no
 * tables; it is fed through the work ledger's service, ledger.c); see index.h. Buckets live in one
 * array found through an open-addressing hash of their key; names are interned through another. */
#include "comply/index.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct kind_info {
    char *name;
    int nslots;
    char *slot[CX_MAX_SLOTS];
    bool city;
};

struct names {
    char **s;
    size_t n, cap;
    int *tab; /* open addressing: index + 1, 0 = empty */
    size_t tabcap;
};

struct comply_index {
    struct names plans, kinds;
    struct kind_info *ki; /* parallel to kinds, nki of them */
    size_t nki;
    struct comply_index_bucket **b;
    size_t nb, capb;
    size_t *tab; /* bucket index + 1, 0 = empty */
    size_t tabcap;
    bool bulk;
};

/* ---- names ---- */

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static bool names_rehash(struct names *t, size_t cap)
{
    int *tab = calloc(cap, sizeof *tab);
    if (!tab) return false;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = str_hash(t->s[i]) & (cap - 1);
        while (tab[j])
            j = (j + 1) & (cap - 1);
        tab[j] = (int)i + 1;
    }
    free(t->tab);
    t->tab = tab;
    t->tabcap = cap;
    return true;
}

static int names_id(struct names *t, const char *s, bool add)
{
    if (!s) return -1;
    if (t->tabcap) {
        size_t j = str_hash(s) & (t->tabcap - 1);
        while (t->tab[j]) {
            if (strcmp(t->s[t->tab[j] - 1], s) == 0) return t->tab[j] - 1;
            j = (j + 1) & (t->tabcap - 1);
        }
    }
    if (!add || t->n >= CX_MAX_NAMES) return -1;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **ns = realloc(t->s, cap * sizeof *ns);
        if (!ns) return -1;
        t->s = ns;
        t->cap = cap;
    }
    char *copy = strdup(s);
    if (!copy) return -1;
    t->s[t->n++] = copy;
    size_t cap = t->tabcap ? t->tabcap : 32;
    while (t->n * 2 > cap)
        cap *= 2;
    if (!names_rehash(t, cap)) { /* names are few: rebuilt on every addition */
        free(t->s[--t->n]);
        return -1;
    }
    return (int)t->n - 1;
}

static void names_free(struct names *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->s[i]);
    free(t->s);
    free(t->tab);
}

int comply_index_plan_id(struct comply_index *x, const char *code, bool add)
{
    return names_id(&x->plans, code, add);
}

int comply_index_kind_id(struct comply_index *x, const char *code, bool add)
{
    int id = names_id(&x->kinds, code, add);
    while (id >= 0 && x->nki < x->kinds.n) {
        struct kind_info *ki = realloc(x->ki, x->kinds.cap * sizeof *ki);
        if (!ki) return -1; /* the name stays; a later call retries */
        x->ki = ki;
        memset(&x->ki[x->nki], 0, sizeof x->ki[0]);
        x->ki[x->nki].name = x->kinds.s[x->nki];
        x->nki++;
    }
    return id;
}

const char *comply_index_kind_name(const struct comply_index *x, int kind)
{
    return kind >= 0 && (size_t)kind < x->kinds.n ? x->kinds.s[kind] : NULL;
}

/* ---- buckets ---- */

static uint64_t key_hash(int plan, int kind, long long unit, long long task)
{
    uint64_t h = (uint64_t)(unsigned)plan * 0x9E3779B97F4A7C15ULL;
    h ^= (uint64_t)(unsigned)kind * 0xC2B2AE3D27D4EB4FULL;
    h ^= (uint64_t)unit * 0x165667B19E3779F9ULL;
    h ^= (uint64_t)task * 0x27D4EB2F165667C5ULL;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

static bool same_key(const struct comply_index_bucket *b, int plan, int kind, long long unit,
                     long long task)
{
    return b->plan == plan && b->kind == kind && b->unit == unit && b->task == task;
}

static bool buckets_rehash(struct comply_index *x, size_t cap)
{
    size_t *tab = calloc(cap, sizeof *tab);
    if (!tab) return false;
    for (size_t i = 0; i < x->nb; i++) {
        const struct comply_index_bucket *b = x->b[i];
        size_t j = key_hash(b->plan, b->kind, b->unit, b->task) & (cap - 1);
        while (tab[j])
            j = (j + 1) & (cap - 1);
        tab[j] = i + 1;
    }
    free(x->tab);
    x->tab = tab;
    x->tabcap = cap;
    return true;
}

const struct comply_index_bucket *comply_index_find(const struct comply_index *x, int plan,
                                                    int kind, long long unit, long long task)
{
    if (!x->tabcap) return NULL;
    size_t j = key_hash(plan, kind, unit, task) & (x->tabcap - 1);
    while (x->tab[j]) {
        const struct comply_index_bucket *b = x->b[x->tab[j] - 1];
        if (same_key(b, plan, kind, unit, task)) return b;
        j = (j + 1) & (x->tabcap - 1);
    }
    return NULL;
}

static int nslots_of(const struct comply_index *x, int kind)
{
    return kind >= 0 && (size_t)kind < x->nki ? x->ki[kind].nslots : 0;
}

/* Grows b to hold at least need events; value arrays of tracked slots grow along (allocated,
 * zeroed, when absent). */
static bool bucket_reserve(struct comply_index *x, struct comply_index_bucket *b, size_t need)
{
    int ns = nslots_of(x, b->kind);
    if (need <= b->cap) {
        for (int s = 0; s < ns; s++)
            if (!b->mv[s] && !(b->mv[s] = calloc(b->cap ? b->cap : 1, sizeof *b->mv[s])))
                return false;
        return true;
    }
    size_t cap = b->cap ? b->cap : 4;
    while (cap < need)
        cap *= 2;
    struct comply_event *ev = realloc(b->ev, cap * sizeof *ev);
    if (!ev) return false;
    b->ev = ev;
    long long *rid = realloc(b->rid, cap * sizeof *rid);
    if (!rid) return false;
    b->rid = rid;
    for (int s = 0; s < CX_MAX_SLOTS; s++) {
        if (!b->mv[s] && s >= ns) continue;
        bool fresh = !b->mv[s];
        long long *mv = realloc(b->mv[s], cap * sizeof *mv);
        if (!mv) return false;
        if (fresh) memset(mv, 0, cap * sizeof *mv);
        b->mv[s] = mv;
    }
    b->cap = cap;
    return true;
}

static struct comply_index_bucket *bucket_get(struct comply_index *x, int plan, int kind,
                                              long long unit, long long task)
{
    struct comply_index_bucket *found =
        (struct comply_index_bucket *)comply_index_find(x, plan, kind, unit, task);
    if (found) return found;
    if (x->nb == x->capb) {
        size_t cap = x->capb ? x->capb * 2 : 64;
        struct comply_index_bucket **nbk = realloc(x->b, cap * sizeof *nbk);
        if (!nbk) return NULL;
        x->b = nbk;
        x->capb = cap;
    }
    struct comply_index_bucket *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    *b = (struct comply_index_bucket){.plan = plan, .kind = kind, .unit = unit, .task = task};
    if (!bucket_reserve(x, b, 4)) {
        free(b->ev);
        free(b->rid);
        for (int s = 0; s < CX_MAX_SLOTS; s++)
            free(b->mv[s]);
        free(b);
        return NULL;
    }
    x->b[x->nb++] = b;
    if (x->nb * 2 > x->tabcap) {
        if (!buckets_rehash(x, x->tabcap ? x->tabcap * 2 : 128)) {
            x->nb--;
            free(b->ev);
            free(b->rid);
            for (int s = 0; s < CX_MAX_SLOTS; s++)
                free(b->mv[s]);
            free(b);
            return NULL;
        }
    } else {
        size_t j = key_hash(plan, kind, unit, task) & (x->tabcap - 1);
        while (x->tab[j])
            j = (j + 1) & (x->tabcap - 1);
        x->tab[j] = x->nb;
    }
    return b;
}

static void bucket_free(struct comply_index_bucket *b)
{
    if (!b) return;
    free(b->ev);
    free(b->rid);
    for (int s = 0; s < CX_MAX_SLOTS; s++)
        free(b->mv[s]);
    free(b);
}

/* (act, rid) order. */
static int cmp_pos(int act_a, long long rid_a, int act_b, long long rid_b)
{
    if (act_a != act_b) return act_a < act_b ? -1 : 1;
    return rid_a < rid_b ? -1 : rid_a > rid_b;
}

size_t comply_index_lower(const struct comply_index_bucket *b, int day)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->ev[mid].activity_day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool bucket_insert(struct comply_index *x, struct comply_index_bucket *b,
                          const struct comply_index_report *r)
{
    if (x->bulk) {
        if (!bucket_reserve(x, b, b->n + 1)) return false;
        b->ev[b->n] = (struct comply_event){r->act, r->acc, 1};
        b->rid[b->n] = r->id;
        for (int s = 0; s < nslots_of(x, b->kind); s++)
            b->mv[s][b->n] = r->values[s];
        b->n++;
        return true;
    }
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_pos(b->ev[mid].activity_day, b->rid[mid], r->act, r->id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < b->n && b->rid[lo] == r->id && b->ev[lo].activity_day == r->act) return true;
    if (!bucket_reserve(x, b, b->n + 1)) return false;
    size_t tail = b->n - lo;
    memmove(&b->ev[lo + 1], &b->ev[lo], tail * sizeof *b->ev);
    memmove(&b->rid[lo + 1], &b->rid[lo], tail * sizeof *b->rid);
    b->ev[lo] = (struct comply_event){r->act, r->acc, 1};
    b->rid[lo] = r->id;
    int ns = nslots_of(x, b->kind);
    for (int s = 0; s < ns; s++) {
        memmove(&b->mv[s][lo + 1], &b->mv[s][lo], tail * sizeof *b->mv[s]);
        b->mv[s][lo] = r->values[s];
    }
    b->n++;
    return true;
}

bool comply_index_add(struct comply_index *x, const struct comply_index_report *r)
{
    if (r->plan < 0 || r->kind < 0) return true;
    long long owners[3] = {r->unit, r->parent && r->parent != r->unit ? r->parent : -1,
                           comply_index_is_city_wide(x, r->kind) ? 0 : -1};
    for (int i = 0; i < 3; i++) {
        if (owners[i] < 0 || (i == 0 && owners[i] == 0)) continue;
        struct comply_index_bucket *b = bucket_get(x, r->plan, r->kind, owners[i], r->task);
        if (!b || !bucket_insert(x, b, r)) return false;
    }
    return true;
}

/* ---- sorting (bulk loads, city-wide buckets) ---- */

struct rec {
    int act, acc;
    long long rid;
    long long v[CX_MAX_SLOTS];
};

static int rec_cmp(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    return cmp_pos(x->act, x->rid, y->act, y->rid);
}

/* Sorts recs, drops repeated reports, and writes them into b (which has room for n). */
static void recs_into(struct comply_index_bucket *b, struct rec *recs, size_t n, int ns)
{
    qsort(recs, n, sizeof *recs, rec_cmp);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && recs[i].rid == b->rid[out - 1] && recs[i].act == b->ev[out - 1].activity_day)
            continue;
        b->ev[out] = (struct comply_event){recs[i].act, recs[i].acc, 1};
        b->rid[out] = recs[i].rid;
        for (int s = 0; s < ns; s++)
            if (b->mv[s]) b->mv[s][out] = recs[i].v[s];
        out++;
    }
    b->n = out;
}

/* Whether b is sorted by (act, rid) without repeats. */
static bool bucket_sorted(const struct comply_index_bucket *b)
{
    for (size_t i = 1; i < b->n; i++)
        if (cmp_pos(b->ev[i - 1].activity_day, b->rid[i - 1], b->ev[i].activity_day, b->rid[i]) >=
            0)
            return false;
    return true;
}

static bool bucket_sort(struct comply_index *x, struct comply_index_bucket *b)
{
    if (bucket_sorted(b)) return true;
    int ns = nslots_of(x, b->kind);
    struct rec *recs = malloc((b->n ? b->n : 1) * sizeof *recs);
    if (!recs) return false;
    for (size_t i = 0; i < b->n; i++) {
        recs[i] = (struct rec){b->ev[i].activity_day, b->ev[i].accepted_day, b->rid[i], {0}};
        for (int s = 0; s < ns; s++)
            if (b->mv[s]) recs[i].v[s] = b->mv[s][i];
    }
    recs_into(b, recs, b->n, ns);
    free(recs);
    return true;
}

void comply_index_bulk_begin(struct comply_index *x)
{
    x->bulk = true;
}

bool comply_index_bulk_end(struct comply_index *x)
{
    x->bulk = false;
    bool ok = true;
    for (size_t i = 0; i < x->nb; i++) {
        struct comply_index_bucket *b = x->b[i];
        if (!bucket_sort(x, b)) ok = false;
    }
    return ok;
}

void comply_index_reset(struct comply_index *x)
{
    for (size_t i = 0; i < x->nb; i++)
        bucket_free(x->b[i]);
    x->nb = 0;
    if (x->tab) memset(x->tab, 0, x->tabcap * sizeof *x->tab);
}

size_t comply_index_remove(struct comply_index *x, const long long *ids, size_t n)
{
    if (n == 0) return 0;
    long long *set = malloc(n * sizeof *set);
    if (!set) return 0;
    memcpy(set, ids, n * sizeof *set);
    for (size_t i = 1; i < n; i++) /* insertion sort: n is small */
        for (size_t j = i; j > 0 && set[j - 1] > set[j]; j--) {
            long long t = set[j];
            set[j] = set[j - 1];
            set[j - 1] = t;
        }
    size_t removed = 0;
    for (size_t i = 0; i < x->nb; i++) {
        struct comply_index_bucket *b = x->b[i];
        int ns = nslots_of(x, b->kind);
        size_t out = 0;
        for (size_t k = 0; k < b->n; k++) {
            long long id = b->rid[k];
            size_t lo = 0, hi = n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (set[mid] < id)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < n && set[lo] == id) {
                removed++;
                continue;
            }
            if (out != k) {
                b->ev[out] = b->ev[k];
                b->rid[out] = b->rid[k];
                for (int s = 0; s < ns; s++)
                    if (b->mv[s]) b->mv[s][out] = b->mv[s][k];
            }
            out++;
        }
        b->n = out;
    }
    free(set);
    return removed;
}

/* ---- metric slots ---- */

int comply_index_slot(const struct comply_index *x, int kind, const char *metric)
{
    if (!metric || kind < 0 || (size_t)kind >= x->nki) return -1;
    for (int s = 0; s < x->ki[kind].nslots; s++)
        if (strcmp(x->ki[kind].slot[s], metric) == 0) return s;
    return -1;
}

int comply_index_nslots(const struct comply_index *x, int kind)
{
    return nslots_of(x, kind);
}

const char *comply_index_slot_metric(const struct comply_index *x, int kind, int slot)
{
    if (slot < 0 || slot >= nslots_of(x, kind)) return NULL;
    return x->ki[kind].slot[slot];
}

int comply_index_track(struct comply_index *x, int kind, const char *metric)
{
    int s = comply_index_slot(x, kind, metric);
    if (s >= 0) return s;
    if (kind < 0 || (size_t)kind >= x->nki) return -1;
    struct kind_info *ki = &x->ki[kind];
    if (ki->nslots == CX_MAX_SLOTS) return -1;
    char *copy = strdup(metric);
    if (!copy) return -1;
    s = ki->nslots;
    for (size_t i = 0; i < x->nb; i++) {
        struct comply_index_bucket *b = x->b[i];
        if (b->kind != kind) continue;
        if (!b->mv[s] && !(b->mv[s] = calloc(b->cap ? b->cap : 1, sizeof *b->mv[s]))) {
            free(copy);
            return -1;
        }
    }
    ki->slot[s] = copy;
    ki->nslots++;
    return s;
}

void comply_index_fill_slot(struct comply_index *x, int kind, int slot, const long long (*pairs)[2],
                            size_t n)
{
    if (slot < 0 || slot >= nslots_of(x, kind)) return;
    for (size_t i = 0; i < x->nb; i++) {
        struct comply_index_bucket *b = x->b[i];
        if (b->kind != kind || !b->mv[slot]) continue;
        for (size_t k = 0; k < b->n; k++) {
            long long id = b->rid[k], v = 0;
            size_t lo = 0, hi = n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (pairs[mid][0] < id)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < n && pairs[lo][0] == id) v = pairs[lo][1];
            b->mv[slot][k] = v;
        }
    }
}

/* ---- city-wide ---- */

bool comply_index_is_city_wide(const struct comply_index *x, int kind)
{
    return kind >= 0 && (size_t)kind < x->nki && x->ki[kind].city;
}

void comply_index_make_city_wide(struct comply_index *x, int kind)
{
    if (kind < 0 || (size_t)kind >= x->nki || x->ki[kind].city) return;
    x->ki[kind].city = true;
    int ns = nslots_of(x, kind);
    /* one city-wide bucket per (plan, task) of the kind's buckets */
    size_t nb = x->nb;
    for (size_t i = 0; i < nb; i++) {
        const struct comply_index_bucket *src = x->b[i];
        if (src->kind != kind || src->unit == 0) continue;
        if (comply_index_find(x, src->plan, kind, 0, src->task)) continue; /* built already */
        size_t total = 0;
        for (size_t k = 0; k < nb; k++) {
            const struct comply_index_bucket *o = x->b[k];
            if (o->kind == kind && o->unit != 0 && o->plan == src->plan && o->task == src->task)
                total += o->n;
        }
        int plan = src->plan;
        long long task = src->task;
        struct comply_index_bucket *dst = bucket_get(x, plan, kind, 0, task); /* may move x->b */
        struct rec *recs = malloc((total ? total : 1) * sizeof *recs);
        if (!dst || !recs || !bucket_reserve(x, dst, total)) {
            free(recs);
            continue;
        }
        size_t m = 0;
        for (size_t k = 0; k < nb; k++) {
            const struct comply_index_bucket *o = x->b[k];
            if (o->kind != kind || o->unit == 0 || o->plan != plan || o->task != task) continue;
            for (size_t e = 0; e < o->n; e++) {
                recs[m] =
                    (struct rec){o->ev[e].activity_day, o->ev[e].accepted_day, o->rid[e], {0}};
                for (int s = 0; s < ns; s++)
                    if (o->mv[s]) recs[m].v[s] = o->mv[s][e];
                m++;
            }
        }
        recs_into(dst, recs, m, ns);
        free(recs);
    }
}

/* ---- life ---- */

struct comply_index *comply_index_new(void)
{
    return calloc(1, sizeof(struct comply_index));
}

void comply_index_free(struct comply_index *x)
{
    if (!x) return;
    comply_index_reset(x);
    free(x->b);
    free(x->tab);
    for (size_t k = 0; k < x->nki; k++)
        for (int s = 0; s < x->ki[k].nslots; s++)
            free(x->ki[k].slot[s]);
    free(x->ki);
    names_free(&x->plans);
    names_free(&x->kinds);
    free(x);
}

size_t comply_index_events(const struct comply_index *x)
{
    size_t n = 0;
    for (size_t i = 0; i < x->nb; i++)
        n += x->b[i]->n;
    return n;
}

size_t comply_index_bytes(const struct comply_index *x)
{
    size_t n = x->capb * sizeof *x->b + x->tabcap * sizeof *x->tab;
    for (size_t i = 0; i < x->nb; i++) {
        const struct comply_index_bucket *b = x->b[i];
        size_t per = sizeof *b->ev + sizeof *b->rid;
        for (int s = 0; s < CX_MAX_SLOTS; s++)
            if (b->mv[s]) per += sizeof *b->mv[s];
        n += sizeof *b + b->cap * per;
    }
    return n;
}
