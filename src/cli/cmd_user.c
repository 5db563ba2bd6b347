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

/* The options of `ecoact user`, as given. */
struct user_opts {
    const char *username, *unit, *pwfile, *name, *phone, *ridfile;
    role_set roles;
};

/* One run of an account subcommand: its inputs, the account and what went wrong. */
struct job {
    struct store *db;
    const struct keys *k;
    const struct user_opts *o;
    char *pw, *rid; /* read from --password-file and --resident-id-file */
    long long now;
    long long unit_id; /* add: the account's unit */
    long long id;      /* the account */
    struct problem w;
};

/* Creates the account in the unit found. */
static enum err run_add(struct job *j)
{
    const struct user_opts *o = j->o;
    struct user_new u = {.username = o->username,
                         .display_name = o->name ? o->name : o->username,
                         .unit_id = j->unit_id,
                         .phone = o->phone,
                         .resident_id = j->rid,
                         .password = j->pw,
                         .roles = o->roles,
                         .must_change_pw = false};
    char otp[24];
    return user_create(j->db, j->k, &u, j->now, 0, &j->id, otp, &j->w);
}

/* Sets a password that the user must change at next login. */
static enum err run_passwd(struct job *j)
{
    return user_set_password(j->db, j->id, j->pw, true, j->now, &j->w);
}

/* Locks the account; a lock also ends its access. */
static enum err run_lock(struct job *j)
{
    return user_set_disabled(j->db, j->id, true, j->now);
}

/* Unlocks the account. */
static enum err run_unlock(struct job *j)
{
    return user_set_disabled(j->db, j->id, false, j->now);
}

/* Replaces the account's roles. */
static enum err run_roles(struct job *j)
{
    return user_set_roles(j->db, j->id, j->o->roles, 0, j->now, &j->w);
}

/* The subcommands: what each requires, what it does and how the audit log names it. */
static const struct subcommand {
    const char *name;
    bool needs_username, needs_password, needs_unit_and_role, needs_role;
    bool creates;                  /* finds the unit, not an existing account */
    bool revokes;                  /* ends the account's access once done */
    enum err (*run)(struct job *); /* NULL: list */
    const char *audit_action;
} subcommands[] = {
    {.name = "add",
     .needs_username = true,
     .needs_password = true,
     .needs_unit_and_role = true,
     .creates = true,
     .run = run_add,
     .audit_action = "user.create"},
    {.name = "passwd",
     .needs_username = true,
     .needs_password = true,
     .revokes = true,
     .run = run_passwd,
     .audit_action = "user.password_reset"},
    {.name = "lock", .needs_username = true, .run = run_lock, .audit_action = "user.lock"},
    {.name = "unlock", .needs_username = true, .run = run_unlock, .audit_action = "user.unlock"},
    {.name = "roles",
     .needs_username = true,
     .needs_role = true,
     .revokes = true,
     .run = run_roles,
     .audit_action = "user.roles"},
    {.name = "list"},
};

/* Reads the options after the subcommand into o; false (after saying why) on a bad one. */
static bool parse_opts(int argc, char **argv, struct user_opts *o)
{
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--username")))
            o->username = v;
        else if ((v = cli_opt(argc, argv, &i, "--unit")))
            o->unit = v;
        else if ((v = cli_opt(argc, argv, &i, "--password-file")))
            o->pwfile = v;
        else if ((v = cli_opt(argc, argv, &i, "--name")))
            o->name = v;
        else if ((v = cli_opt(argc, argv, &i, "--phone")))
            o->phone = v;
        else if ((v = cli_opt(argc, argv, &i, "--resident-id-file")))
            o->ridfile = v;
        else if ((v = cli_opt(argc, argv, &i, "--role"))) {
            enum role r;
            if (!role_parse(v, &r)) {
                fprintf(stderr, "ecoact user: unknown role '%s'\n%s", v, help);
                return false;
            }
            o->roles |= 1u << r;
        } else {
            fprintf(stderr, "ecoact user: unknown option '%s'\n%s", argv[i], help);
            return false;
        }
    }
    return true;
}

/* The subcommand named sub, or NULL after saying it is unknown. */
static const struct subcommand *find_subcommand(const char *sub)
{
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        if (strcmp(subcommands[i].name, sub) == 0) return &subcommands[i];
    fprintf(stderr, "ecoact user: unknown subcommand '%s'\n%s", sub, help);
    return NULL;
}

/* Whether o has what s requires; says what is missing when not. */
static bool opts_complete(const struct subcommand *s, const struct user_opts *o)
{
    if (s->needs_username && !o->username) {
        fprintf(stderr, "ecoact user %s: --username is required\n", s->name);
        return false;
    }
    if (s->needs_password && !o->pwfile) {
        fprintf(stderr, "ecoact user %s: --password-file is required (use - for standard input)\n",
                s->name);
        return false;
    }
    if (s->needs_unit_and_role && (!o->unit || !o->roles)) {
        fprintf(stderr, "ecoact user %s: --unit and at least one --role are required\n", s->name);
        return false;
    }
    if (s->needs_role && !o->roles) {
        fprintf(stderr, "ecoact user %s: at least one --role is required\n", s->name);
        return false;
    }
    return true;
}

/* Finds the unit of a new account or the existing account; on failure rolls back and says so. */
static bool find_target(struct job *j, const struct subcommand *s)
{
    if (s->creates) {
        j->unit_id = unit_find(j->db, j->o->unit);
        if (j->unit_id) return true;
        store_rollback(j->db);
        fprintf(stderr,
                "ecoact user %s: unit '%s' not found (give its id, GB/T 2260 code or short "
                "name)\n",
                s->name, j->o->unit);
        return false;
    }
    j->id = user_find(j->db, j->o->username);
    if (j->id) return true;
    store_rollback(j->db);
    fprintf(stderr, "ecoact user %s: no account named '%s'\n", s->name, j->o->username);
    return false;
}

/* Runs s on the account found, audits it and commits; returns the exit status. */
static int run_audited(struct job *j, const struct subcommand *s)
{
    enum err e = s->run(j);
    if (e == OK && s->revokes) e = user_revoke_access(j->db, j->id, 0, j->now);
    char object[96];
    snprintf(object, sizeof object, "user:%lld", j->id);
    if (e == OK && audit_cli(j->db, j->k, s->audit_action, object) != 0) e = ERR_INTERNAL;
    if (e != OK || store_commit(j->db) != OK) {
        store_rollback(j->db);
        fprintf(stderr, "ecoact user %s: %s%s%s\n", s->name, j->w.field, j->w.field[0] ? ": " : "",
                j->w.msg[0] ? j->w.msg : store_errmsg(j->db));
        return 1;
    }
    printf("ecoact user %s: done (%s, id %lld)\n", s->name, j->o->username, j->id);
    return 0;
}

/* Reads the secret files, then runs s in one transaction; returns the exit status. */
static int run_account(struct store *db, const struct keys *k, const struct subcommand *s,
                       const struct user_opts *o)
{
    struct job j = {.db = db, .k = k, .o = o};
    int rc = 1;
    if (o->pwfile && !(j.pw = cli_read_secret_file(o->pwfile))) goto out;
    if (o->ridfile && !(j.rid = cli_read_secret_file(o->ridfile))) goto out;
    j.now = (long long)time(NULL);
    if (store_begin(db) != OK) {
        fprintf(stderr, "ecoact user: %s\n", store_errmsg(db));
        goto out;
    }
    if (find_target(&j, s)) rc = run_audited(&j, s);
out:
    free(j.pw);
    free(j.rid);
    return rc;
}

int cmd_user(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    struct user_opts o = {0};
    if (!parse_opts(argc, argv, &o)) return 2;
    const struct subcommand *s = find_subcommand(argv[1]);
    if (!s || !opts_complete(s, &o)) return 2;
    log_set_quiet(1);
    struct keys k;
    if (!cli_load_keys(&c, &k)) return 1;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    int rc = s->run ? run_account(db, &k, s, &o) : list(db);
    store_close(db);
    return rc;
}
