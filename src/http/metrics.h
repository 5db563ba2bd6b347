/* metrics.h - counters for /metrics (Prometheus text): requests by route and status, a latency
 * histogram, database errors, refusals of the connection guard. Updated with atomics from every
 * loop thread. */
#ifndef ECOACT_METRICS_H
#define ECOACT_METRICS_H
#include <stddef.h>
#include <stdint.h>
#include "http/router.h"

#define METRICS_MAX_ROUTES (ROUTER_MAX_ROUTES + 2) /* routes + "static" + "unmatched" */
#define METRICS_STATUSES 18
#define METRICS_BUCKETS 12

/* Why the connection guard (guard.c) refused a request or a connection. */
enum metrics_refusal {
    MR_TOO_LARGE,      /* declared body over the route's limit */
    MR_UPLOAD_ANON,    /* upload over the JSON limit from a caller not signed in */
    MR_CHUNKED,        /* Transfer-Encoding instead of Content-Length */
    MR_BAD_HEAD,       /* a head the guard does not accept */
    MR_HEAD_TOO_LARGE, /* no end of the head within its limit */
    MR_HEAD_TIMEOUT,   /* head not complete within its deadline */
    MR_BODY_TIMEOUT,   /* body not complete within its deadline */
    MR_CONN_CAP,       /* too many connections from one address */
    MR__COUNT
};

struct metrics {
    uint64_t requests[METRICS_MAX_ROUTES][METRICS_STATUSES];
    uint64_t latency_us_buckets[METRICS_BUCKETS + 1]; /* last = +Inf */
    uint64_t latency_us_sum;
    uint64_t latency_count;
    uint64_t db_errors;
    uint64_t refused[MR__COUNT];
};

void metrics_observe(struct metrics *m, size_t route_index, int status, uint64_t micros);
void metrics_db_error(struct metrics *m);
void metrics_refused(struct metrics *m, enum metrics_refusal why);
/* Renders the Prometheus text into a malloc'd string. */
char *metrics_render(const struct metrics *m);

#endif
