/* cmd_outbox.c - `ecoact outbox dead|retry|deliver`: the operator's side of the outbox
 * (docs/outbox.md). dead lists the messages that failed for good (dead letters), retry ID sends
 * one again (audited as the operator "cli"), deliver runs one push round to the webhook, as the
 * deliverer thread of `ecoact serve` does (for cron). Also the webhook's configuration, read the
 * same way here and by serve (cli_webhook_config). */
#include "cli/cli.h"
#include "base/jw.h"
#include "notify/notify.h"
#include "org/audit.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: ecoact outbox dead [--limit N]      the dead letters, newest first (JSON)\n"
    "       ecoact outbox retry ID              send a dead letter again (attempts reset)\n"
    "       ecoact outbox deliver [--webhook-url URL] [--webhook-secret-file FILE]\n"
    "                                           one push round to the webhook\n"
    "The webhook: --webhook-url / $ECOACT_WEBHOOK_URL (http://host[:port]/path) and\n"
    "--webhook-secret-file / $ECOACT_WEBHOOK_SECRET_FILE (the HMAC key, mode 0600); tuning:\n"
    "$ECOACT_WEBHOOK_MAX_ATTEMPTS (8), _BACKOFF (30 s), _BACKOFF_MAX (3600 s), _TIMEOUT (10 s),\n"
    "_BATCH (20), _INTERVAL (5 s).\n";

static int env_int(const char *name, int lo, int hi, int def)
{
    const char *s = getenv(name);
    char *end;
    long v = s && *s ? strtol(s, &end, 10) : def;
    if (s && *s && (*end || v < lo || v > hi)) {
        fprintf(stderr, "ecoact: %s wants %d..%d; using %d\n", name, lo, hi, def);
        return def;
    }
    return (int)v;
}

bool cli_webhook_config(const char *url, const char *secret_file, struct webhook_opts *o)
{
    memset(o, 0, sizeof *o);
    o->url = url ? url : getenv("ECOACT_WEBHOOK_URL");
    if (!o->url || !*o->url) return false;
    if (!secret_file) secret_file = getenv("ECOACT_WEBHOOK_SECRET_FILE");
    char *secret = secret_file ? cli_read_secret_file(secret_file) : NULL;
    if (!secret || strlen(secret) < 16) {
        fprintf(stderr, "ecoact: the webhook needs a secret of at least 16 characters in "
                        "--webhook-secret-file\n");
        if (secret) sodium_memzero(secret, strlen(secret));
        free(secret);
        o->url = NULL;
        return false;
    }
    o->secret = (const unsigned char *)secret;
    o->secret_len = strlen(secret);
    o->max_attempts = env_int("ECOACT_WEBHOOK_MAX_ATTEMPTS", 1, 100, 8);
    o->backoff_base = env_int("ECOACT_WEBHOOK_BACKOFF", 1, 86400, 30);
    o->backoff_max = env_int("ECOACT_WEBHOOK_BACKOFF_MAX", 1, 7 * 86400, 3600);
    o->timeout = env_int("ECOACT_WEBHOOK_TIMEOUT", 1, 300, 10);
    o->batch = env_int("ECOACT_WEBHOOK_BATCH", 1, 100, 20);
    o->interval = env_int("ECOACT_WEBHOOK_INTERVAL", 1, 3600, 5);
    return true;
}

void cli_webhook_free(struct webhook_opts *o)
{
    if (o->secret) sodium_memzero((void *)o->secret, o->secret_len);
    free((void *)o->secret);
    o->secret = NULL;
}

static int dead(struct store *db, long long limit)
{
    struct jw w;
    jw_init(&w);
    jw_arr(&w);
    long long n, last;
    enum err e = outbox_dead_list(db, 0, limit, &w, &n, &last);
    jw_arr_end(&w);
    size_t len;
    char *s = jw_take(&w, &len);
    if (e == OK) printf("%s\n", s);
    free(s);
    jw_free(&w);
    if (e != OK) fprintf(stderr, "ecoact outbox: %s\n", store_errmsg(db));
    return e == OK ? 0 : 1;
}

static int retry(struct store *db, const struct keys *k, long long id)
{
    char status[16], object[40];
    snprintf(object, sizeof object, "outbox:%lld", id);
    struct audit_entry a = {.at = (long long)time(NULL),
                            .username = "cli",
                            .ip = "local",
                            .action = "outbox.retry",
                            .object = object,
                            .result = "ok"};
    enum err e = store_begin(db);
    if (e == OK) e = outbox_retry(db, id, a.at, status);
    if (e == OK) e = audit_append(db, k, &a);
    if (e == OK) e = store_commit(db);
    if (e != OK) store_rollback(db);
    if (e == ERR_NOT_FOUND)
        fprintf(stderr, "ecoact outbox: no message %lld\n", id);
    else if (e == ERR_CONFLICT)
        fprintf(stderr, "ecoact outbox: message %lld is %s, not failed\n", id, status);
    else if (e != OK)
        fprintf(stderr, "ecoact outbox: %s\n", store_errmsg(db));
    else
        printf("ecoact outbox: message %lld is pending again\n", id);
    return e == OK ? 0 : 1;
}

static int deliver(struct store *db, const struct keys *k, const char *url, const char *secret)
{
    struct webhook_opts o;
    if (!cli_webhook_config(url, secret, &o)) {
        fprintf(stderr, "ecoact outbox deliver: no webhook configured (--webhook-url)\n");
        return 2;
    }
    int sent, failed;
    enum err e = webhook_round(db, k, &o, (long long)time(NULL), &sent, &failed);
    cli_webhook_free(&o);
    if (e != OK)
        return fprintf(stderr, "ecoact outbox deliver: failed (%s)\n", store_errmsg(db)), 1;
    printf("ecoact outbox deliver: delivered %d, failed %d\n", sent, failed);
    return 0;
}

int cmd_outbox(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    const char *sub = argv[1], *url = NULL, *secret = NULL, *v;
    long long limit = 50, id = 0;
    for (int i = 2; i < argc; i++) {
        if ((v = cli_opt(argc, argv, &i, "--limit")))
            limit = atoll(v);
        else if ((v = cli_opt(argc, argv, &i, "--webhook-url")))
            url = v;
        else if ((v = cli_opt(argc, argv, &i, "--webhook-secret-file")))
            secret = v;
        else if (strcmp(sub, "retry") == 0 && !id)
            id = atoll(argv[i]);
        else
            return fprintf(stderr, "ecoact outbox: unknown option '%s'\n%s", argv[i], help), 2;
    }
    if (limit < 1 || limit > 1000) return fprintf(stderr, "ecoact outbox: --limit 1..1000\n"), 2;
    bool known = !strcmp(sub, "dead") || !strcmp(sub, "retry") || !strcmp(sub, "deliver");
    if (!known) return fprintf(stderr, "%s", help), 2;
    if (!strcmp(sub, "retry") && id <= 0) return fprintf(stderr, "ecoact outbox retry ID\n"), 2;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    struct keys k;
    int rc = 1;
    if (cli_load_keys(&c, &k)) {
        if (!strcmp(sub, "dead"))
            rc = dead(db, limit);
        else if (!strcmp(sub, "retry"))
            rc = retry(db, &k, id);
        else
            rc = deliver(db, &k, url, secret);
        sodium_memzero(&k, sizeof k);
    }
    store_close(db);
    return rc;
}
