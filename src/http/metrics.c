/* metrics.c - Prometheus text exposition of the counters in struct metrics. */
#include "http/metrics.h"
#include "http/router.h"
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

static const int statuses[METRICS_STATUSES] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                                               409, 413, 415, 422, 423, 429, 500, 503, 0};
static const uint64_t bounds_us[METRICS_BUCKETS] = {250,   500,   1000,   2500,   5000,   10000,
                                                    25000, 50000, 100000, 250000, 500000, 1000000};

static int status_slot(int status)
{
    for (int i = 0; i < METRICS_STATUSES - 1; i++)
        if (statuses[i] == status) return i;
    return METRICS_STATUSES - 1; /* other */
}

void metrics_observe(struct metrics *m, size_t route, int status, uint64_t micros)
{
    if (route >= METRICS_MAX_ROUTES) route = METRICS_MAX_ROUTES - 1;
    __atomic_fetch_add(&m->requests[route][status_slot(status)], 1, __ATOMIC_RELAXED);
    int b = 0;
    while (b < METRICS_BUCKETS && micros > bounds_us[b])
        b++;
    __atomic_fetch_add(&m->latency_us_buckets[b], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->latency_us_sum, micros, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->latency_count, 1, __ATOMIC_RELAXED);
}

void metrics_db_error(struct metrics *m)
{
    __atomic_fetch_add(&m->db_errors, 1, __ATOMIC_RELAXED);
}

void metrics_refused(struct metrics *m, enum metrics_refusal why)
{
    if (why < MR__COUNT) __atomic_fetch_add(&m->refused[why], 1, __ATOMIC_RELAXED);
}

static const char *const refusal_names[MR__COUNT] = {
    "too_large",      "upload_not_signed_in", "chunked",      "bad_head",
    "head_too_large", "head_timeout",         "body_timeout", "connection_cap",
};

struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) return;
        if (b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p) return;
        b->p = p;
        b->cap = cap;
    }
}

char *metrics_render(const struct metrics *m)
{
    struct sbuf b = {malloc(8192), 0, 8192};
    if (!b.p) return NULL;
    b.p[0] = '\0';
    size_t n;
    const struct route *const *routes = router_all(&n);
    sb_printf(&b, "# HELP ecoact_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE ecoact_http_requests_total counter\n");
    for (size_t r = 0; r < METRICS_MAX_ROUTES; r++) {
        const char *method = "", *pattern;
        if (r < n) {
            method = method_name(routes[r]->method);
            pattern = routes[r]->pattern;
        } else if (r == METRICS_MAX_ROUTES - 2) {
            pattern = "static";
        } else if (r == METRICS_MAX_ROUTES - 1) {
            pattern = "unmatched";
        } else {
            continue;
        }
        for (int s = 0; s < METRICS_STATUSES; s++) {
            uint64_t v = __atomic_load_n(&m->requests[r][s], __ATOMIC_RELAXED);
            if (!v) continue;
            sb_printf(&b,
                      "ecoact_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
                      method, pattern, statuses[s], (unsigned long long)v);
        }
    }
    sb_printf(&b, "# HELP ecoact_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE ecoact_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (int i = 0; i <= METRICS_BUCKETS; i++) {
        cum += __atomic_load_n(&m->latency_us_buckets[i], __ATOMIC_RELAXED);
        if (i < METRICS_BUCKETS)
            sb_printf(&b, "ecoact_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                      (double)bounds_us[i] / 1e6, (unsigned long long)cum);
        else
            sb_printf(&b, "ecoact_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                      (unsigned long long)cum);
    }
    sb_printf(&b, "ecoact_http_request_duration_seconds_sum %.6f\n",
              (double)__atomic_load_n(&m->latency_us_sum, __ATOMIC_RELAXED) / 1e6);
    sb_printf(&b, "ecoact_http_request_duration_seconds_count %llu\n",
              (unsigned long long)__atomic_load_n(&m->latency_count, __ATOMIC_RELAXED));
    sb_printf(
        &b,
        "# HELP ecoact_db_errors_total Storage errors.\n# TYPE ecoact_db_errors_total counter\n"
        "ecoact_db_errors_total %llu\n",
        (unsigned long long)__atomic_load_n(&m->db_errors, __ATOMIC_RELAXED));
    sb_printf(
        &b,
        "# HELP ecoact_http_refused_total Requests and connections the connection guard refused.\n"
        "# TYPE ecoact_http_refused_total counter\n");
    for (int i = 0; i < MR__COUNT; i++)
        sb_printf(&b, "ecoact_http_refused_total{reason=\"%s\"} %llu\n", refusal_names[i],
                  (unsigned long long)__atomic_load_n(&m->refused[i], __ATOMIC_RELAXED));
    return b.p;
}
