/* main.c - the ecoact command line: dispatches to the operator commands in src/cli/. */
#include "base/crypto.h"
#include "cli/cli.h"
#include "http/router.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "ecoact - 美丽中国，我是行动者 生态文明宣传教育工作平台\n"
    "\n"
    "usage: ecoact COMMAND [options]   (ecoact COMMAND --help for each)\n"
    "\n"
    "commands:\n"
    "  init      create the database, load units, create the three administrators\n"
    "  serve     serve the JSON API and the web console\n"
    "  migrate   apply pending schema migrations\n"
    "  user      add | passwd | lock | unlock | list accounts\n"
    "  backup    copy the whole database into a file; --verify proves it by restoring\n"
    "  restore   a backup into an empty database\n"
    "  verify    verify audit [ARCHIVE…]: check the audit log's hash chain (green: the ledger)\n"
    "  audit     archive --before DATE FILE: move rows past the retention into a file\n"
    "  demo      add demo accounts (and demo data) to an initialised database\n"
    "  routes    list every HTTP route (method, path, permission)\n"
    "  tick      run the periodic work once (escalations, reminders), e.g. from cron\n"
    "  outbox    dead | retry ID | deliver: the outbox's dead letters and the webhook push\n"
    "  qr        issue: a signed QR code (check-in, booking, voucher, person) as text/PNG/SVG\n"
    "\n"
    "common options:\n"
    "  --db URL          sqlite:PATH (default sqlite:./ecoact.db) or postgresql://…  [$ECOACT_DB]\n"
    "  --data-key FILE   the data key (default ./ecoact.key)                          "
    "[$ECOACT_DATA_KEY]\n";

/* `ecoact routes --rules`: each route's declared rule as one JSON line: the permission, the roles
 * that hold it with their reach ("all" or "unit"), whether only a public (citizen) session may
 * use it, and whose object the path names. */
static void print_rule(const struct route *rt)
{
    static const char *const body[] = {"none", "json", "raw"};
    printf("{\"method\":\"%s\",\"pattern\":\"%s\",\"perm\":\"%s\",\"body\":\"%s\",\"roles\":{",
           method_name(rt->method), rt->pattern, perm_name(rt->perm), body[rt->body]);
    int k = 0;
    for (int i = 0; i < ROLE__COUNT; i++) {
        enum scope sc = roles_scope(1u << i, rt->perm);
        if (sc == SCOPE_NONE || rt->perm == PERM_PUBLIC) continue;
        printf("%s\"%s\":\"%s\"", k++ ? "," : "", role_name((enum role)i),
               sc == SCOPE_ALL ? "all" : "unit");
    }
    printf("},\"public\":%s,\"citizen\":%s,\"owner\":%s,\"session_only\":%s}\n",
           rt->perm == PERM_PUBLIC ? "true" : "false", rt->perm == PERM_CITIZEN ? "true" : "false",
           rt->flags & ROUTE_OWN_UNIT   ? "\"unit\""
           : rt->flags & ROUTE_OWN_USER ? "\"user\""
                                        : "null",
           rt->flags & ROUTE_SESSION_ONLY ? "true" : "false");
}

int main(int argc, char **argv)
{
    /* Every file ecoact writes (the database, its WAL, backups, keys, logs, exports) is for its
     * own account only: personal data and the audit chain are in them. */
    umask(0077);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        puts("ecoact 0.1.0");
        return 0;
    }
    if (strcmp(argv[1], "routes") == 0) {
        bool rules = argc > 2 && strcmp(argv[2], "--rules") == 0;
        size_t n;
        const struct route *const *all = router_all(&n);
        for (size_t i = 0; i < n; i++) {
            if (rules)
                print_rule(all[i]);
            else
                printf("%s %s\n", method_name(all[i]->method), all[i]->pattern);
        }
        return 0;
    }
    if (crypto_init() != OK) {
        fputs("ecoact: libsodium failed to initialise\n", stderr);
        return 1;
    }
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {{"init", cmd_init},     {"serve", cmd_serve},   {"migrate", cmd_migrate},
                {"user", cmd_user},     {"backup", cmd_backup}, {"restore", cmd_restore},
                {"verify", cmd_verify}, {"demo", cmd_demo},     {"tick", cmd_tick},
                {"qr", cmd_qr},         {"outbox", cmd_outbox}, {"audit", cmd_audit}};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(argv[1], cmds[i].name) == 0) return cmds[i].run(argc - 1, argv + 1);
    fprintf(stderr, "ecoact: unknown command '%s'\n\n%s", argv[1], usage);
    return 2;
}
