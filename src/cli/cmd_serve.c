/* cmd_serve.c - `ecoact serve`: reads options, loads the key, hands the server its periodic
 * work (the areas' ticks, tick/tick.h) and starts it. */
#include "org/policy.h"
#include "cli/cli.h"
#include "http/server.h"
#include "notify/notify.h"
#include "base/log.h"
#include "store/cluster.h"
#include "store/replica.h"
#include "store/store.h"
#include "tick/tick.h"
#include "citizen/citizen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: ecoact serve [--listen 127.0.0.1:8080] [--db URL] [--threads N] [--data-key FILE]\n"
    "                    [--web DIR] [--trust-proxy] [--login-limit N/SECONDS]\n"
    "                    [--write-limit N/SECONDS] [--access-log FILE|-|off]\n"
    "                    [--metrics-listen HOST:PORT] [--max-conns-per-ip N]\n"
    "                    [--header-timeout SECONDS] [--body-timeout SECONDS]\n"
    "                    [--webhook-url URL --webhook-secret-file FILE]\n"
    "                    [--read-db URL [--read-db-max-lag SECONDS]]\n"
    "  --listen        address and port (default 127.0.0.1:8080)                  "
    "[$ECOACT_LISTEN]\n"
    "  --threads       event-loop threads, each with its own connection (default: cores)\n"
    "  --web           the built console to serve (default web/dist when present)\n"
    "  --trust-proxy   believe X-Forwarded-For/-Proto from a proxy on this machine\n"
    "  --login-limit   login attempts per client IP (default 10/60: 10 per minute)\n"
    "  --write-limit   writes per account (default 600/60)\n"
    "  --access-log    JSON lines, one per request: a file, - for stderr (default), or off\n"
    "  --metrics-listen  serve /metrics (and /healthz, /readyz) on this address only (default: "
    "off;\n"
    "                  the main listener never answers /metrics)\n"
    "  --max-conns-per-ip  open connections one client address may hold (default 64, 0: no cap;\n"
    "                  with --trust-proxy the proxy on this machine is not capped)\n"
    "  --header-timeout  seconds a request's head may take from its first byte (default 10)\n"
    "  --body-timeout  seconds its body may take, plus one per 64 KiB of it (default 60)\n"
    "  --webhook-url   push the outbox to this gateway webhook (http://host[:port]/path) from a\n"
    "                  deliverer thread; the pull routes keep working (docs/outbox.md)\n"
    "                  [$ECOACT_WEBHOOK_URL]\n"
    "  --webhook-secret-file  the webhook's HMAC key, first line, >= 16 characters\n"
    "                  [$ECOACT_WEBHOOK_SECRET_FILE]; tuning: ecoact outbox --help\n"
    "  --read-db       a PostgreSQL standby for heavy reads (the compliance matrix, exports);\n"
    "                  answers say which was read and how stale (X-Ecoact-Read-From)\n"
    "  --read-db-max-lag  seconds behind the primary past which the primary is read (default 30)\n"
    "SIGTERM or SIGINT: stop accepting, finish requests in flight, close the databases.\n";

static bool parse_limit(const char *s, double *rate, double *burst)
{
    double n, sec;
    char tail;
    if (sscanf(s, "%lf/%lf%c", &n, &sec, &tail) != 2 || n < 1 || sec <= 0) return false;
    *burst = n;
    *rate = n / sec;
    return true;
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return false;
    *out = (int)v;
    return true;
}

/* The areas' ticks run every TICK_SECONDS on the server's loop thread 0; $ECOACT_TICK_SECONDS
 * overrides it, 0 turns them off (e.g. when cron runs `ecoact tick`). */
#define TICK_SECONDS 60

static int tick_seconds(void)
{
    const char *s = getenv("ECOACT_TICK_SECONDS");
    if (!s || !*s) return TICK_SECONDS;
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < 0 || v > 86400 ? TICK_SECONDS : (int)v;
}

/* The server's periodic callback: every area's tick, each in its own transaction (ticks_run
 * logs what they did and any failure), on the one server that leads (store/cluster.h). */
static void run_ticks(struct store *db, const struct keys *k, long long now, void *arg)
{
    (void)arg;
    bool taken;
    if (!cluster_lead(db, &taken)) return;
    if (taken) log_info("periodic work: this server leads it now");
    char done[512];
    ticks_run(db, k, now, done, sizeof done);
}

static bool demo_loaded(const char *db_url)
{
    struct store *db = NULL;
    char why[256];
    if (store_open(db_url, &db, why, sizeof why) != OK) return false;
    char value[8];
    bool found;
    bool demo = setting_get(db, "demo", value, sizeof value, &found) == OK && found &&
                strcmp(value, "1") == 0;
    store_close(db);
    return demo;
}

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return 0;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    static struct app app; /* large (metrics); lives for the process */
    app.opts.listen = getenv("ECOACT_LISTEN") ? getenv("ECOACT_LISTEN") : "127.0.0.1:8080";
    app.opts.db_url = c.db_url;
    app.opts.max_json_body = 1 << 20;
    app.opts.max_upload_body = 20 << 20;
    app.opts.login_rate = 10.0 / 60, app.opts.login_burst = 10;
    app.opts.write_rate = 10, app.opts.write_burst = 600;
    app.opts.web_dir = access("web/dist/index.html", R_OK) == 0 ? "web/dist" : NULL;
    app.opts.header_timeout = 10;
    app.opts.body_timeout = 60;
    app.opts.max_conns_per_ip = 64;
    app.opts.read_db_max_lag = REPLICA_MAX_LAG_DEFAULT;
    app.opts.periodic = run_ticks;
    app.opts.periodic_seconds = tick_seconds();
    const char *hook_url = NULL, *hook_secret = NULL;
    app.opts.public_resolve = citizen_session_resolve;
    /* Areas keeping history about a person register citizen_anonymise_hook() here, before the
     * loop threads start (none yet: volunteer hours and points entries will). */
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--listen")))
            app.opts.listen = v;
        else if ((v = cli_opt(argc, argv, &i, "--webhook-url")))
            hook_url = v;
        else if ((v = cli_opt(argc, argv, &i, "--webhook-secret-file")))
            hook_secret = v;
        else if ((v = cli_opt(argc, argv, &i, "--threads")))
            app.opts.threads = atoi(v);
        else if ((v = cli_opt(argc, argv, &i, "--web")))
            app.opts.web_dir = v;
        else if (cli_flag(argv[i], "--trust-proxy"))
            app.opts.trust_proxy = true;
        else if ((v = cli_opt(argc, argv, &i, "--access-log")))
            app.opts.access_log = v;
        else if ((v = cli_opt(argc, argv, &i, "--read-db")))
            app.opts.read_db_url = v;
        else if ((v = cli_opt(argc, argv, &i, "--read-db-max-lag"))) {
            if (!parse_int(v, 0, 86400, &app.opts.read_db_max_lag)) {
                fprintf(stderr, "ecoact serve: --read-db-max-lag wants seconds, 0-86400\n");
                return 2;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--metrics-listen")))
            app.opts.metrics_listen = v;
        else if ((v = cli_opt(argc, argv, &i, "--max-conns-per-ip"))) {
            if (!parse_int(v, 0, 1000000, &app.opts.max_conns_per_ip)) {
                fprintf(stderr, "ecoact serve: --max-conns-per-ip wants a number, 0 for no cap\n");
                return 2;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--header-timeout"))) {
            if (!parse_int(v, 1, 3600, &app.opts.header_timeout)) {
                fprintf(stderr, "ecoact serve: --header-timeout wants seconds, 1-3600\n");
                return 2;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--body-timeout"))) {
            if (!parse_int(v, 1, 86400, &app.opts.body_timeout)) {
                fprintf(stderr, "ecoact serve: --body-timeout wants seconds, 1-86400\n");
                return 2;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--login-limit"))) {
            if (!parse_limit(v, &app.opts.login_rate, &app.opts.login_burst)) {
                fprintf(stderr, "ecoact serve: --login-limit wants N/SECONDS, e.g. 10/60\n");
                return 2;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--write-limit"))) {
            if (!parse_limit(v, &app.opts.write_rate, &app.opts.write_burst)) {
                fprintf(stderr, "ecoact serve: --write-limit wants N/SECONDS, e.g. 600/60\n");
                return 2;
            }
        } else {
            fprintf(stderr, "ecoact serve: unknown option '%s'\n%s", argv[i], help);
            return 2;
        }
    }
    if (app.opts.read_db_url &&
        (!store_url_is_pg(c.db_url) || !store_url_is_pg(app.opts.read_db_url))) {
        fprintf(stderr, "ecoact serve: --read-db is a PostgreSQL standby of a PostgreSQL --db "
                        "(postgresql://…); SQLite has no standby\n");
        return 2;
    }
    if (app.opts.web_dir && access(app.opts.web_dir, R_OK) != 0) {
        fprintf(stderr, "ecoact serve: --web %s is not readable\n", app.opts.web_dir);
        return 2;
    }
    if (!cli_load_keys(&c, &app.keys)) return 1;
    struct webhook_opts hook;
    bool want_hook = hook_url || (getenv("ECOACT_WEBHOOK_URL") && *getenv("ECOACT_WEBHOOK_URL"));
    bool have_hook = cli_webhook_config(hook_url, hook_secret, &hook);
    if (want_hook && !have_hook) return 2;
    struct webhook_deliverer *deliverer = NULL;
    if (have_hook && !(deliverer = webhook_start(c.db_url, &app.keys, &hook))) {
        cli_webhook_free(&hook);
        return 1;
    }
    app.login_limits = ratelimit_new(app.opts.login_rate, app.opts.login_burst);
    app.write_limits = ratelimit_new(app.opts.write_rate, app.opts.write_burst);
    app.demo = demo_loaded(c.db_url);
    app.opts.console = console_json();
    app.opts.audit_name = audit_object_name;
    int rc = server_run(&app);
    json_decref(app.opts.console);
    webhook_stop(deliverer);
    if (have_hook) cli_webhook_free(&hook);
    ratelimit_free(app.login_limits);
    ratelimit_free(app.write_limits);
    return rc;
}
