/* metrics.h - counters for /metrics (Prometheus text): requests by route and status, a latency
 * histogram, database errors. Updated with atomics from every loop thread. */
#ifndef ECOACT_METRICS_H
#define ECOACT_METRICS_H
#include <stddef.h>
#include <stdint.h>

#define METRICS_MAX_ROUTES 258 /* routes + "static" + "unmatched" */
#define METRICS_STATUSES 18
#define METRICS_BUCKETS 12

struct metrics {
    uint64_t requests[METRICS_MAX_ROUTES][METRICS_STATUSES];
    uint64_t latency_us_buckets[METRICS_BUCKETS + 1]; /* last = +Inf */
    uint64_t latency_us_sum;
    uint64_t latency_count;
    uint64_t db_errors;
};

void metrics_observe(struct metrics *m, size_t route_index, int status, uint64_t micros);
void metrics_db_error(struct metrics *m);
/* Renders the Prometheus text into a malloc'd string. */
char *metrics_render(const struct metrics *m);

#endif
