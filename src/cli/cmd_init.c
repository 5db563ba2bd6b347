/* cmd_init.c - `ecoact init`: data key, schema, units, and the three administrators of the
 * three-role separation with one-time passwords shown once. Idempotent. */
#include "cli/cli.h"
#include "base/log.h"
#include "meeting/meeting.h"
#include "org/units.h"
#include "org/users.h"
#include "plan/plan.h"
#include "store/migrate.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: ecoact init [--db URL] [--data-key FILE]\n"
    "Creates the data key file (mode 0600) when absent, creates or upgrades the database schema,\n"
    "loads the units (41 district-level units, city departments, named groups) and the plans of\n"
    "data/plans (the 2021-2025 plan) that are not stored yet, and creates the\n"
    "accounts sysadmin, secadmin and auditor with one-time passwords printed once.\n"
    "Running it again changes nothing that exists and says so.\n";

int cmd_init(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    if (argc > 1) {
        fprintf(stderr, "ecoact init: unexpected argument '%s'\n%s", argv[1], help);
        return 2;
    }
    log_set_quiet(1);
    bool key_created = false;
    if (keys_create_if_absent(c.key_file, &key_created) != OK) {
        fprintf(stderr, "ecoact init: cannot create the data key file %s\n", c.key_file);
        return 1;
    }
    struct keys k;
    if (!cli_load_keys(&c, &k)) return 1;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    int rc = 1, applied = 0, added = 0, plans_added = 0;
    char why[512];
    if (migrate_up(db, &applied, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact init: %s\n", why);
        goto out;
    }
    long long now = (long long)time(NULL);
    if (store_begin(db) != OK) goto fail;
    if (units_load_embedded(db, now, &added, why, sizeof why) != OK) {
        store_rollback(db);
        fprintf(stderr, "ecoact init: %s\n", why);
        goto out;
    }
    if (plans_load_embedded(db, now, &plans_added, why, sizeof why) != OK) {
        store_rollback(db);
        fprintf(stderr, "ecoact init: %s\n", why);
        goto out;
    }
    int years_added = 0, members_added = 0; /* the joint meeting: holiday calendars, member units */
    if (meeting_load_embedded(db, now, &years_added, &members_added, why, sizeof why) != OK) {
        store_rollback(db);
        fprintf(stderr, "ecoact init: %s\n", why);
        goto out;
    }
    long long host = unit_find(db, "市生态环境局");
    static const struct {
        const char *username, *name;
        enum role role;
    } admins[] = {{"sysadmin", "系统管理员", ROLE_SYSADMIN},
                  {"secadmin", "安全管理员", ROLE_SECADMIN},
                  {"auditor", "安全审计员", ROLE_AUDITOR}};
    char otps[3][24] = {"", "", ""};
    int created = 0;
    for (int i = 0; i < 3; i++) {
        if (user_find(db, admins[i].username)) continue;
        struct user_new u = {.username = admins[i].username,
                             .display_name = admins[i].name,
                             .unit_id = host,
                             .roles = 1u << admins[i].role,
                             .must_change_pw = true};
        long long id;
        struct problem w = {0};
        if (user_create(db, &k, &u, now, 0, &id, otps[i], &w) != OK) {
            store_rollback(db);
            fprintf(stderr, "ecoact init: creating %s: %s %s\n", admins[i].username, w.msg,
                    store_errmsg(db));
            goto out;
        }
        created++;
    }
    if (store_commit(db) != OK) goto fail;
    if (!key_created && !applied && !added && !plans_added && !created && !years_added &&
        !members_added) {
        printf("ecoact init: already initialised (%s); nothing changed.\n", c.db_url);
    } else {
        printf("ecoact init: %s\n", c.db_url);
        if (key_created)
            printf("  data key created: %s (mode 0600; back it up apart from the database)\n",
                   c.key_file);
        printf("  schema migrations applied: %d\n  units added: %d\n  plans added: %d\n", applied,
               added, plans_added);
        if (years_added || members_added)
            printf("  holiday calendars added: %d\n  joint meeting member units added: %d\n",
                   years_added, members_added);
        if (created) {
            printf(
                "  administrators (one-time passwords, shown only now; change at first login):\n");
            for (int i = 0; i < 3; i++)
                if (otps[i][0]) printf("    %-9s %s\n", admins[i].username, otps[i]);
        }
    }
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "ecoact init: %s\n", store_errmsg(db));
out:
    store_close(db);
    return rc;
}
