/* cmd_user.c - `ecoact user add|passwd|lock|unlock|roles|list`: account operations for the
 * operator at the console of the server, which needs the database and the data key and is
 * recorded in the audit log as the operator "cli". This is how administrators (三权分立) and
 * holders of unmask_pii are managed: no single administrator may do it through the API
 * (user_manage_problem in org/users.h). */
#include "cli/cli.h"
#include "base/log.h"
#include "org/audit.h"
#include "org/units.h"
#include "org/users.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: ecoact user add|passwd|lock|unlock|roles|list [options]\n"
    "  ecoact user add --username U --unit CODE_OR_ID --role R [--role R2 …] --password-file F\n"
    "                  [--name DISPLAY_NAME] [--phone P] [--resident-id-file F]\n"
    "  ecoact user passwd --username U --password-file F   (the user must change it at next "
    "login)\n"
    "  ecoact user lock --username U | unlock --username U\n"
    "  ecoact user roles --username U --role R [--role R2 …]   (replaces the account's roles)\n"
    "A password change, a lock or a change of roles ends the account's sessions, API tokens and\n"
    "calendar feeds. Administrators and holders of unmask_pii are managed only here.\n"
    "  ecoact user list\n"
    "roles: sysadmin secadmin auditor office leader unit_admin unit_reporter evaluator\n"
    "--password-file - reads the password from standard input.\n";

static int audit_cli(struct store *db, const struct keys *k, const char *action, const char *object)
{
    struct audit_entry e = {.at = (long long)time(NULL),
                            .username = "cli",
                            .ip = "local",
                            .action = action,
                            .object = object,
                            .result = "ok"};
    return audit_append(db, k, &e) == OK ? 0 : 1;
}

/* One line of the list: id, username, name, unit, roles and state. */
static enum err list_line(struct store *db, long long id)
{
    struct user_info u;
    enum err e = user_get(db, id, &u);
    if (e != OK) return e;
    role_set rs = user_roles(db, id);
    char roles[256] = "";
    for (int r = 0; r < ROLE__COUNT; r++)
        if (rs & (1u << r)) {
            strncat(roles, role_name((enum role)r), sizeof roles - strlen(roles) - 2);
            strcat(roles, " ");
        }
    printf("%-6lld %-24s %-16s %-20s %s%s%s\n", id, u.username, u.display_name, u.unit_name, roles,
           u.disabled ? "[locked] " : "", u.must_change_pw ? "[must change password]" : "");
    return OK;
}

static int list(struct store *db)
{
    printf("%-6s %-24s %-16s %-20s %s\n", "id", "username", "name", "unit", "roles / state");
    long long ids[500];
    struct user_filter f = {.limit = (long long)(sizeof ids / sizeof *ids)};
    size_t n;
    enum err e;
    do {
        e = users_page(db, &f, ids, sizeof ids / sizeof *ids, &n);
        for (size_t i = 0; e == OK && i < n; i++)
            e = list_line(db, ids[i]);
        if (n) f.after = ids[n - 1];
    } while (e == OK && n == sizeof ids / sizeof *ids);
    return e == OK ? 0 : 1;
}

int cmd_user(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    const char *sub = argv[1];
    const char *username = NULL, *unit = NULL, *pwfile = NULL, *name = NULL, *phone = NULL,
               *ridfile = NULL;
    role_set roles = 0;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--username")))
            username = v;
        else if ((v = cli_opt(argc, argv, &i, "--unit")))
            unit = v;
        else if ((v = cli_opt(argc, argv, &i, "--password-file")))
            pwfile = v;
        else if ((v = cli_opt(argc, argv, &i, "--name")))
            name = v;
        else if ((v = cli_opt(argc, argv, &i, "--phone")))
            phone = v;
        else if ((v = cli_opt(argc, argv, &i, "--resident-id-file")))
            ridfile = v;
        else if ((v = cli_opt(argc, argv, &i, "--role"))) {
            enum role r;
            if (!role_parse(v, &r)) {
                fprintf(stderr, "ecoact user: unknown role '%s'\n%s", v, help);
                return 2;
            }
            roles |= 1u << r;
        } else {
            fprintf(stderr, "ecoact user: unknown option '%s'\n%s", argv[i], help);
            return 2;
        }
    }
    bool is_add = strcmp(sub, "add") == 0, is_pw = strcmp(sub, "passwd") == 0;
    bool is_lock = strcmp(sub, "lock") == 0, is_unlock = strcmp(sub, "unlock") == 0;
    bool is_roles = strcmp(sub, "roles") == 0;
    if (!is_add && !is_pw && !is_lock && !is_unlock && !is_roles && strcmp(sub, "list") != 0) {
        fprintf(stderr, "ecoact user: unknown subcommand '%s'\n%s", sub, help);
        return 2;
    }
    if ((is_add || is_pw || is_lock || is_unlock || is_roles) && !username) {
        fprintf(stderr, "ecoact user %s: --username is required\n", sub);
        return 2;
    }
    if ((is_add || is_pw) && !pwfile) {
        fprintf(stderr, "ecoact user %s: --password-file is required (use - for standard input)\n",
                sub);
        return 2;
    }
    if (is_add && (!unit || !roles)) {
        fprintf(stderr, "ecoact user add: --unit and at least one --role are required\n");
        return 2;
    }
    if (is_roles && !roles) {
        fprintf(stderr, "ecoact user roles: at least one --role is required\n");
        return 2;
    }
    log_set_quiet(1);
    struct keys k;
    if (!cli_load_keys(&c, &k)) return 1;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    int rc = 1;
    char *pw = NULL, *rid = NULL;
    if (strcmp(sub, "list") == 0) {
        rc = list(db);
        goto out;
    }
    if (pwfile && !(pw = cli_read_secret_file(pwfile))) goto out;
    if (ridfile && !(rid = cli_read_secret_file(ridfile))) goto out;
    long long now = (long long)time(NULL);
    if (store_begin(db) != OK) {
        fprintf(stderr, "ecoact user: %s\n", store_errmsg(db));
        goto out;
    }
    struct problem w = {0};
    enum err e = OK;
    char object[96];
    long long id = 0;
    if (is_add) {
        long long unit_id = unit_find(db, unit);
        if (!unit_id) {
            store_rollback(db);
            fprintf(stderr,
                    "ecoact user add: unit '%s' not found (give its id, GB/T 2260 code or short "
                    "name)\n",
                    unit);
            goto out;
        }
        struct user_new u = {.username = username,
                             .display_name = name ? name : username,
                             .unit_id = unit_id,
                             .phone = phone,
                             .resident_id = rid,
                             .password = pw,
                             .roles = roles,
                             .must_change_pw = false};
        char otp[24];
        e = user_create(db, &k, &u, now, 0, &id, otp, &w);
    } else {
        id = user_find(db, username);
        if (!id) {
            store_rollback(db);
            fprintf(stderr, "ecoact user %s: no account named '%s'\n", sub, username);
            goto out;
        }
        if (is_pw)
            e = user_set_password(db, id, pw, true, now, &w);
        else if (is_roles)
            e = user_set_roles(db, id, roles, 0, now, &w);
        else
            e = user_set_disabled(db, id, is_lock, now); /* a lock also ends its access */
        if (e == OK && (is_pw || is_roles)) e = user_revoke_access(db, id, 0, now);
    }
    snprintf(object, sizeof object, "user:%lld", id);
    if (e == OK && audit_cli(db, &k,
                             is_add     ? "user.create"
                             : is_pw    ? "user.password_reset"
                             : is_lock  ? "user.lock"
                             : is_roles ? "user.roles"
                                        : "user.unlock",
                             object) != 0)
        e = ERR_INTERNAL;
    if (e != OK || store_commit(db) != OK) {
        store_rollback(db);
        fprintf(stderr, "ecoact user %s: %s%s%s\n", sub, w.field, w.field[0] ? ": " : "",
                w.msg[0] ? w.msg : store_errmsg(db));
        goto out;
    }
    printf("ecoact user %s: done (%s, id %lld)\n", sub, username, id);
    rc = 0;
out:
    free(pw);
    free(rid);
    store_close(db);
    return rc;
}
