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

int cmd_demo(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    bool history = false;
    uint64_t seed = DEMO_DEFAULT_SEED;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (cli_flag(argv[i], "--history")) {
            history = true;
        } else if ((v = cli_opt(argc, argv, &i, "--seed"))) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(v, &end, 10);
            if (!*v || *end || errno || *v == '-') {
                fprintf(stderr, "ecoact demo: --seed wants a non-negative integer, not '%s'\n", v);
                return 2;
            }
            seed = n;
            history = true;
        } else {
            fprintf(stderr, "ecoact demo: unknown option '%s'\n%s", argv[i], help);
            return 2;
        }
    }
    log_set_quiet(1);
    struct keys k;
    if (!cli_load_keys(&c, &k)) return 1;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    int rc = 1, created = 0;
    long long now = (long long)time(NULL);
    if (store_begin(db) != OK) goto fail;
    long long office_id = 0, gateway_id = 0;
    for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++) {
        const struct demo_account *a = &accounts[i];
        if (user_find(db, a->username)) continue;
        long long unit = unit_find(db, a->unit);
        if (!unit) {
            fprintf(stderr, "ecoact demo: unit %s missing: run 'ecoact init' first\n", a->unit);
            store_rollback(db);
            goto out;
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
        if (user_create(db, &k, &u, now, 0, &id, otp, &w) != OK) {
            fprintf(stderr, "ecoact demo: %s: %s %s\n", a->username, w.msg, store_errmsg(db));
            store_rollback(db);
            goto out;
        }
        if (strcmp(a->username, "demo.office") == 0) office_id = id;
        if (a->role == ROLE_GATEWAY) gateway_id = id;
        created++;
    }
    /* The office and the SMS gateway may read phones in clear (the gateway to send messages). */
    long long unmaskers[] = {office_id, gateway_id};
    for (int i = 0; i < 2; i++)
        if (unmaskers[i] && user_set_permissions(db, unmaskers[i], true, 0, now) != OK) goto fail;
    if (setting_put(db, "demo", "1", 0, now) != OK) goto fail;
    struct demo_citizen_opts co = {.password = DEMO_PASSWORD,
                                   .now = now,
                                   .yuzhong_unit = unit_find(db, "500103"),
                                   .wanzhou_unit = unit_find(db, "500101"),
                                   .reviewer = user_find(db, "demo.yuzhong.admin")};
    int citizens = 0;
    char cwhy[512] = "";
    if (demo_citizens(db, &k, &co, &citizens, cwhy, sizeof cwhy) != OK) {
        fprintf(stderr, "ecoact demo: the public accounts could not be added: %s\n", cwhy);
        store_rollback(db);
        goto out;
    }
    struct demo_stats st = {0};
    bool loaded = false;
    double secs = 0;
    uint64_t old_seed = 0;
    if (history && demo_history_loaded(db, &old_seed)) {
        loaded = true;
    } else if (history) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        struct demo_filer filers[sizeof accounts / sizeof *accounts + 1];
        size_t nf = 0;
        struct demo_opts o = {.seed = seed, .filers = filers, .now = now};
        for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++) {
            const struct demo_account *a = &accounts[i];
            long long id = user_find(db, a->username);
            struct demo_who who = {id, a->name};
            if (strcmp(a->username, "demo.office") == 0) o.office = who;
            if (a->role == ROLE_EVALUATOR) o.evaluator = who;
            if (a->role == ROLE_UNIT_REPORTER) filers[nf++] = (struct demo_filer){a->unit, who};
        }
        filers[nf] = (struct demo_filer){NULL, {0, NULL}};
        char why[512] = "";
        if (demo_history(db, &o, &st, why, sizeof why) != OK) {
            fprintf(stderr, "ecoact demo: the history could not be loaded: %s\n", why);
            store_rollback(db);
            goto out;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    }
    char detail[160];
    snprintf(detail, sizeof detail,
             history && !loaded ? "demo accounts, history seed %llu" : "demo accounts",
             (unsigned long long)seed);
    struct audit_entry e = {.at = now,
                            .username = "cli",
                            .ip = "local",
                            .action = "demo.load",
                            .result = "ok",
                            .detail = detail};
    if (audit_append(db, &k, &e) != OK || store_commit(db) != OK) goto fail;
    printf("ecoact demo: %d demo account(s) added; password for every demo.* account: %s\n",
           created, DEMO_PASSWORD);
    if (citizens)
        printf("ecoact demo: %d public account(s) added; citizen login: phone %s, password %s\n",
               citizens, DEMO_CITIZEN_PHONE, DEMO_PASSWORD);
    if (loaded)
        printf("ecoact demo: a history (seed %llu) is loaded already: nothing to do\n",
               (unsigned long long)old_seed);
    else if (history)
        printf("ecoact demo: history 2021-2025 (seed %llu) in %.1f s: %lld reports (%lld accepted, "
               "%lld "
               "made up late, %lld returned of which %lld corrected, %lld waiting for review), "
               "%lld dispatch notices, %lld joint meetings, %lld evaluator scores, %lld years "
               "published\n",
               (unsigned long long)seed, secs, st.reports, st.accepted, st.late, st.returned,
               st.corrected, st.pending, st.notices, st.meetings, st.scores, st.published);
    rc = 0;
    goto out;
fail:
    store_rollback(db);
    fprintf(stderr, "ecoact demo: %s\n", store_errmsg(db));
out:
    store_close(db);
    return rc;
}
