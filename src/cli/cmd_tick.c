/* cmd_tick.c - `ecoact tick`: runs the areas' periodic work once, as the server's tick does every
 * minute (escalating overdue dispatch notices, "due in 3 days" and meeting reminders), for cron
 * when the servers run with ECOACT_TICK_SECONDS=0. Idempotent: running it twice, or beside the
 * servers' own ticks, changes nothing more. */
#include "cli/cli.h"
#include "base/log.h"
#include "tick/tick.h"
#include <stdio.h>
#include <time.h>

static const char help[] =
    "usage: ecoact tick [--db URL] [--data-key FILE]\n"
    "Runs the periodic work once: overdue dispatch notices escalate (blue → orange → red) and\n"
    "notices due within 3 days put a reminder in their unit's inbox. Each change is recorded\n"
    "once, so it is safe from cron beside running servers.\n";

int cmd_tick(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    log_set_quiet(1);
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    struct keys k;
    if (!cli_load_keys(&c, &k)) {
        store_close(db);
        return 1;
    }
    char done[512];
    int rc = 0;
    if (ticks_run(db, &k, (long long)time(NULL), done, sizeof done) != OK) {
        fprintf(stderr, "ecoact tick: %s\n", store_errmsg(db)[0] ? store_errmsg(db) : "failed");
        rc = 1;
    } else {
        printf("ecoact tick: %s\n", done[0] ? done : "nothing to do");
    }
    store_close(db);
    return rc;
}
