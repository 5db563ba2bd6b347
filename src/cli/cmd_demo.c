/* cmd_demo.c - `ecoact demo`: demo accounts for every role with one shared password, marked so
 * the console shows the 演示数据 banner; with --history (or --seed N) also a realistic 2021-2025
 * history generated from the seed (src/demo/). Idempotent: existing demo accounts are left
 * alone and a history is loaded once; everything runs in one transaction. */
#include "org/policy.h"
#include "cli/cli.h"
#include "base/log.h"
#include "demo/demo.h"
#include "org/audit.h"
#include "org/units.h"
#include "org/users.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEMO_PASSWORD "Ecoact-Demo-2025"

static const char help[] =
    "usage: ecoact demo [--history] [--seed N] [--db URL] [--data-key FILE]\n"
    "Adds demo accounts (password " DEMO_PASSWORD ") for every role to an initialised database\n"
    "and marks it as demo data: the console then shows a 演示数据 banner.\n"
    "  --history  also fills a 2021-2025 history: ledger reports of every unit (on time, made up\n"
    "             late, returned and corrected, some waiting for review at the end of 2025),\n"
    "             dispatch notices, the half-yearly joint meetings, evaluators' scores and the\n"
    "             published 2021-2024 evaluations (2025 left to publish)\n"
    "  --seed N   the history's random seed (default 2025; implies --history): the same seed\n"
    "             gives the same history. A history is loaded once; running again changes "
    "nothing.\n";

static const struct demo_account {
    const char *username, *name, *unit;
    enum role role;
    const char *phone, *id_prefix; /* id_prefix: 17 digits; the check digit is computed */
} accounts[] = {
    {"demo.sysadmin", "演示系统管理员", "市生态环境局", ROLE_SYSADMIN, NULL, NULL},
    {"demo.secadmin", "演示安全管理员", "市生态环境局", ROLE_SECADMIN, NULL, NULL},
    {"demo.auditor", "演示安全审计员", "市生态环境局", ROLE_AUDITOR, NULL, NULL},
    {"demo.office", "王晓燕", "市生态环境宣传教育中心", ROLE_OFFICE, "13800138001",
     "50010219860315002"},
    /* a second member of the office: whoever files a report never reviews it (four eyes) */
    {"demo.office2", "冯审核", "市生态环境宣传教育中心", ROLE_OFFICE, NULL, NULL},
    {"demo.leader", "李建国", "市生态环境局", ROLE_LEADER, "13800138002", NULL},
    {"demo.evaluator", "赵评估", "市生态环境局", ROLE_EVALUATOR, NULL, NULL},
    {"demo.xcb", "张宣传", "市委宣传部", ROLE_UNIT_REPORTER, NULL, NULL},
    {"demo.sthjj", "陈环保", "市生态环境局", ROLE_UNIT_REPORTER, NULL, NULL},
    {"demo.yuzhong.admin", "刘渝中", "500103", ROLE_UNIT_ADMIN, "13900139003", NULL},
    {"demo.yuzhong", "周填报", "500103", ROLE_UNIT_REPORTER, "13900139004", "50010319900801123"},
    {"demo.wanzhou", "吴万州", "500101", ROLE_UNIT_REPORTER, NULL, NULL},
    {"demo.chengkou", "郑城口", "500229", ROLE_UNIT_REPORTER, NULL, NULL},
    {"demo.liangjiang", "孙两江", "两江新区", ROLE_UNIT_REPORTER, NULL, NULL},
    {"demo.gateway", "短信网关", "市生态环境局", ROLE_GATEWAY, NULL, NULL},
};

static void complete_id(const char *prefix, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (prefix[i] - '0') * w[i];
    memcpy(out, prefix, 17);
    out[17] = map[sum % 11];
    out[18] = '\0';
}

/* Reads --history and --seed; false (and a message) on a bad option. */
static bool parse_args(int argc, char **argv, bool *history, uint64_t *seed)
{
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (cli_flag(argv[i], "--history")) {
            *history = true;
        } else if ((v = cli_opt(argc, argv, &i, "--seed"))) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(v, &end, 10);
            if (!*v || *end || errno || *v == '-') {
                fprintf(stderr, "ecoact demo: --seed wants a non-negative integer, not '%s'\n", v);
                return false;
            }
            *seed = n;
            *history = true;
        } else {
            fprintf(stderr, "ecoact demo: unknown option '%s'\n%s", argv[i], help);
            return false;
        }
    }
    return true;
}

/* Adds the demo.* accounts that are missing (*created counts them); the office and the SMS
 * gateway may read phones in clear (the gateway to send messages). false with a message. */
static bool add_accounts(struct store *db, const struct keys *k, long long now, int *created)
{
    long long office_id = 0, gateway_id = 0;
    for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++) {
        const struct demo_account *a = &accounts[i];
        if (user_find(db, a->username)) continue;
        long long unit = unit_find(db, a->unit);
        if (!unit) {
            fprintf(stderr, "ecoact demo: unit %s missing: run 'ecoact init' first\n", a->unit);
            return false;
        }
        char rid[19];
        if (a->id_prefix) complete_id(a->id_prefix, rid);
        struct user_new u = {.username = a->username,
                             .display_name = a->name,
                             .unit_id = unit,
                             .phone = a->phone,
                             .resident_id = a->id_prefix ? rid : NULL,
                             .password = DEMO_PASSWORD,
                             .roles = 1u << a->role};
        long long id;
        char otp[24];
        struct problem w = {0};
        if (user_create(db, k, &u, now, 0, &id, otp, &w) != OK) {
            fprintf(stderr, "ecoact demo: %s: %s %s\n", a->username, w.msg, store_errmsg(db));
            return false;
        }
        if (strcmp(a->username, "demo.office") == 0) office_id = id;
        if (a->role == ROLE_GATEWAY) gateway_id = id;
        (*created)++;
    }
    long long unmaskers[] = {office_id, gateway_id};
    for (int i = 0; i < 2; i++)
        if (unmaskers[i] && user_set_permissions(db, unmaskers[i], true, 0, now) != OK) {
            fprintf(stderr, "ecoact demo: %s\n", store_errmsg(db));
            return false;
        }
    return true;
}

/* Adds the public accounts and organisations (*citizens counts them). */
static bool add_citizens(struct store *db, const struct keys *k, long long now, int *citizens)
{
    struct demo_citizen_opts co = {.password = DEMO_PASSWORD,
                                   .now = now,
                                   .yuzhong_unit = unit_find(db, "500103"),
                                   .wanzhou_unit = unit_find(db, "500101"),
                                   .reviewer = user_find(db, "demo.yuzhong.admin")};
    char why[512] = "";
    if (demo_citizens(db, k, &co, citizens, why, sizeof why) == OK) return true;
    fprintf(stderr, "ecoact demo: the public accounts could not be added: %s\n", why);
    return false;
}

/* Files the 2021-2025 history with the demo accounts as its people; *secs gets the time. */
static bool add_history(struct store *db, uint64_t seed, long long now, struct demo_stats *st,
                        double *secs)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct demo_filer filers[sizeof accounts / sizeof *accounts + 1];
    size_t nf = 0;
    struct demo_opts o = {.seed = seed, .filers = filers, .now = now};
    for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++) {
        const struct demo_account *a = &accounts[i];
        struct demo_who who = {user_find(db, a->username), a->name};
        if (strcmp(a->username, "demo.office") == 0) o.office = who;
        if (a->role == ROLE_EVALUATOR) o.evaluator = who;
        if (a->role == ROLE_UNIT_REPORTER) filers[nf++] = (struct demo_filer){a->unit, who};
    }
    filers[nf] = (struct demo_filer){NULL, {0, NULL}};
    char why[512] = "";
    if (demo_history(db, &o, st, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact demo: the history could not be loaded: %s\n", why);
        return false;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return true;
}

/* What was loaded. */
struct loaded {
    int created, citizens;
    bool history, was_loaded;
    uint64_t seed, old_seed;
    double secs;
    struct demo_stats st;
};

static void print_loaded(const struct loaded *l)
{
    printf("ecoact demo: %d demo account(s) added; password for every demo.* account: %s\n",
           l->created, DEMO_PASSWORD);
    if (l->citizens)
        printf("ecoact demo: %d public account(s) added; citizen login: phone %s, password %s\n",
               l->citizens, DEMO_CITIZEN_PHONE, DEMO_PASSWORD);
    const struct demo_stats *st = &l->st;
    if (l->was_loaded)
        printf("ecoact demo: a history (seed %llu) is loaded already: nothing to do\n",
               (unsigned long long)l->old_seed);
    else if (l->history)
        printf("ecoact demo: history 2021-2025 (seed %llu) in %.1f s: %lld reports (%lld accepted, "
               "%lld "
               "made up late, %lld returned of which %lld corrected, %lld waiting for review), "
               "%lld dispatch notices, %lld joint meetings, %lld evaluator scores, %lld years "
               "published\n",
               (unsigned long long)l->seed, l->secs, st->reports, st->accepted, st->late,
               st->returned, st->corrected, st->pending, st->notices, st->meetings, st->scores,
               st->published);
}

/* Everything, in one transaction with its audit row. */
static bool load_all(struct store *db, const struct keys *k, struct loaded *l)
{
    long long now = (long long)time(NULL);
    if (!add_accounts(db, k, now, &l->created)) return false;
    if (setting_put(db, "demo", "1", 0, now) != OK) {
        fprintf(stderr, "ecoact demo: %s\n", store_errmsg(db));
        return false;
    }
    if (!add_citizens(db, k, now, &l->citizens)) return false;
    if (l->history && demo_history_loaded(db, &l->old_seed))
        l->was_loaded = true;
    else if (l->history && !add_history(db, l->seed, now, &l->st, &l->secs))
        return false;
    char detail[160];
    snprintf(detail, sizeof detail,
             l->history && !l->was_loaded ? "demo accounts, history seed %llu" : "demo accounts",
             (unsigned long long)l->seed);
    struct audit_entry e = {.at = now,
                            .username = "cli",
                            .ip = "local",
                            .action = "demo.load",
                            .result = "ok",
                            .detail = detail};
    if (audit_append(db, k, &e) != OK) {
        fprintf(stderr, "ecoact demo: %s\n", store_errmsg(db));
        return false;
    }
    return true;
}

int cmd_demo(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    struct loaded l = {.seed = DEMO_DEFAULT_SEED};
    if (!parse_args(argc, argv, &l.history, &l.seed)) return 2;
    log_set_quiet(1);
    struct keys k;
    if (!cli_load_keys(&c, &k)) return 1;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    bool ok = store_begin(db) == OK;
    if (!ok) fprintf(stderr, "ecoact demo: %s\n", store_errmsg(db));
    ok = ok && load_all(db, &k, &l);
    if (ok && store_commit(db) != OK) {
        fprintf(stderr, "ecoact demo: %s\n", store_errmsg(db));
        ok = false;
    }
    if (!ok) store_rollback(db);
    store_close(db);
    if (!ok) return 1;
    print_loaded(&l);
    return 0;
}
