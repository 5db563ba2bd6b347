/* public_register.c - bench/public's loader: registers N citizens through the citizen service
 * (citizen_register_hashed: the phone's checks, its encryption and keyed hash, the one-owner
 * claim, the account row and its privacy consent), in transactions of --batch, and prints the
 * rate and the process's peak RSS. The Argon2id hash of the shared password is made once with
 * pw_hash(): at the service's cost one hash takes tens of milliseconds, which bench/public
 * measures separately as logins per second. Phones are 13000000000 + i.
 *   build/bench/public_register --db URL --data-key FILE --count N [--batch B] [--password P] */
#include "base/crypto.h"
#include "base/log.h"
#include "citizen/citizen.h"
#include "cli/cli.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Registers [from, to) in one transaction; false (and why) on the first failure. */
static bool register_batch(struct store *db, const struct keys *k, const char *pw, long long from,
                           long long to)
{
    if (store_begin(db) != OK) return false;
    long long now = (long long)time(NULL);
    for (long long i = from; i < to; i++) {
        char phone[24];
        snprintf(phone, sizeof phone, "13%09lld", i);
        struct problem p = {0};
        long long id;
        if (citizen_register_hashed(db, k, phone, pw, now, &id, &p) != OK) {
            fprintf(stderr, "public_register: %s: %s %s\n", phone, p.msg, store_errmsg(db));
            store_rollback(db);
            return false;
        }
    }
    return store_commit(db) == OK;
}

int main(int argc, char **argv)
{
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    long long count = 1000, batch = 1000;
    const char *password = "Ecoact-Demo-2025";
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--count")))
            count = atoll(v);
        else if ((v = cli_opt(argc, argv, &i, "--batch")))
            batch = atoll(v);
        else if ((v = cli_opt(argc, argv, &i, "--password")))
            password = v;
        else {
            fprintf(stderr, "usage: public_register --db URL --data-key FILE --count N "
                            "[--batch B] [--password P]\n");
            return 2;
        }
    }
    if (count < 1 || count > 100000000 || batch < 1) return 2;
    log_set_quiet(1);
    if (crypto_init() != OK) return 1;
    struct keys k;
    if (!cli_load_keys(&c, &k)) return 1;
    struct store *db = cli_open_db(&c);
    if (!db) return 1;
    double t0 = now_s();
    char pw[crypto_pwhash_STRBYTES];
    if (pw_hash(password, pw, sizeof pw) != OK) return 1;
    double hash_s = now_s() - t0;
    t0 = now_s();
    for (long long from = 0; from < count; from += batch) {
        long long to = from + batch < count ? from + batch : count;
        if (!register_batch(db, &k, pw, from, to)) {
            store_close(db);
            return 1;
        }
    }
    double secs = now_s() - t0;
    store_close(db);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("registered %lld citizens in %.1f s: %.0f per second; one Argon2id hash %.1f ms; "
           "peak RSS %.1f MB\n",
           count, secs, (double)count / secs, hash_s * 1000, (double)ru.ru_maxrss / 1024);
    return 0;
}
