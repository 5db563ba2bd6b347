/* tick.c - the list of the areas' ticks and the loop that runs them; see tick.h. */
#include "tick/tick.h"
#include "base/log.h"
#include "http/idempotency.h"
#include "facility/facility.h"
#include "meeting/meeting.h"
#include "opinion/opinion.h"
#include "supervise/supervise.h"
#include "volunteer/volunteer.h"
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    tick_fn run;
} ticks[] = {{"supervise", supervise_tick}, {"meeting", meeting_tick}, {"idempotency", idem_purge},
             {"volunteer", vol_tick},       {"opinion", opinion_tick}, {"facility", fac_tick}};

enum err ticks_run(struct store *db, const struct keys *k, long long now, char *out, size_t outlen)
{
    enum err first = OK;
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof ticks / sizeof *ticks; i++) {
        char summary[256] = "";
        store_clear_err(db);
        enum err e = store_begin(db);
        if (e == OK) e = ticks[i].run(db, k, now, summary, sizeof summary);
        if (e == OK && store_err(db) != OK) e = store_err(db);
        if (e == OK) e = store_commit(db);
        if (e != OK) {
            store_rollback(db);
            log_error("tick %s failed: %s", ticks[i].name, store_errmsg(db));
            if (first == OK) first = e;
            continue;
        }
        if (summary[0]) {
            log_info("tick %s: %s", ticks[i].name, summary);
            int n = snprintf(out + used, outlen - used, "%s%s: %s", used ? "; " : "", ticks[i].name,
                             summary);
            if (n > 0 && used + (size_t)n < outlen) used += (size_t)n;
        }
    }
    return first;
}
