/* green.h - the green-life points ledger (issue 14, DOMAIN.md §6): behaviours and their
 * methodology versions as data, partner channels that push events, and an append-only,
 * double-entry ledger of points with a hash chain per account.
 *
 * - A methodology version (draft → published, by two different officials) holds each
 *   behaviour's factor: integer mg CO2e per factor unit with its source document and date,
 *   points per unit, evidence grades (% of the points), caps per day/month/year per person, the
 *   claim window and the validity of the points (≤ 10 years). An event is credited with the
 *   version in force on its activity date; a new version never changes past entries.
 * - A channel (a metro, bus, bike-share or recycling operator) signs its requests with a
 *   channel credential (org/chancred.h, scope "green:ingest"). An event is keyed by (channel,
 *   source event id): the same again answers its first result, other content 409. One act is
 *   credited once across channels by the behaviour's dedup rule (green_rules.c).
 * - Every credit is an entry from an issuing account (one per day and shard, so no single row is
 *   updated by every event) to the citizen's account, whose balance is updated in the same
 *   transaction; a correction is a reversing entry. Each account's entries are chained by hash;
 *   green_verify() (`ecoact verify green`) checks balances, issuers and chains.
 *
 *   struct green_event ev = {.source_event_id = "T-1", .citizen_id = 7, .behaviour = "metro",
 *                            .quantity = 5200, .activity_date = "2026-12-03", …};
 *   struct green_result res;
 *   enum err e = green_ingest(db, &channel, &ev, now, &res, &p); // in the caller's transaction
 */
#ifndef ECOACT_GREEN_H
#define ECOACT_GREEN_H
#include <stdbool.h>
#include <stddef.h>
#include "base/crypto.h"
#include "base/err.h"
#include "org/chancred.h"
#include "store/store.h"

#define GREEN_SCOPE "green:ingest"
#define GREEN_BATCH_MAX 10000
#define GREEN_BATCH_MAX_BYTES (8u << 20)
#define GREEN_SHARDS 16
#define GREEN_VALIDITY_MAX 3650
#define GREEN_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

enum green_grade { GREEN_GRADE_PARTNER, GREEN_GRADE_PROOF, GREEN_GRADE_SELF };
enum green_dedup { GREEN_DEDUP_NONE, GREEN_DEDUP_TRIP, GREEN_DEDUP_DAY };

struct green_behaviour {
    char code[32], name[64], category[16], qty_unit[16], factor_unit[16];
    long long scale;
    enum green_dedup dedup;
    long long dedup_window;
};

/* One behaviour's rule in one methodology version. */
struct green_factor {
    long long version_id;
    char behaviour[32];
    long long mg_per_unit, points_per_unit;
    long long pct[3];                       /* by enum green_grade */
    long long cap_day, cap_month, cap_year; /* points per person; 0: none */
    long long claim_days, validity_days;
    char source_doc[400], source_date[16]; /* source_date "" when the source gives none */
};

struct green_version {
    long long id, drafted_by, created_at, published_by, published_at;
    char title[128], effective_from[11], status[12];
};

struct green_channel {
    long long id, cred_id, created_by, created_at, revoked_at;
    char name[128], operator_name[128], behaviours[400];
};

/* An event as a channel reports it (strings owned by the caller). */
struct green_event {
    const char *source_event_id, *behaviour, *activity_date, *route, *body_hash;
    long long citizen_id, quantity, started_at; /* started_at 0: not given */
    enum green_grade grade;
};

/* What became of an event. */
struct green_result {
    char status[12]; /* credited | capped | duplicate */
    char cap[8];     /* day | month | year when cut by a cap, else "" */
    long long event_id, entry_id, requested, points, saved_mg, duplicate_of, version_id;
    bool replayed; /* the same event sent before: its first result */
};

/* An entry of the ledger. */
struct green_entry {
    long long id, citizen_id, seq, amount, saved_mg, version_id, event_id, reverses, created_by,
        created_at, issuer_shard;
    char kind[10], behaviour[32], issuer_day[11], activity_date[11], memo[200];
    char prev_hash[CRYPTO_HASH_HEX], hash[CRYPTO_HASH_HEX];
};

struct green_account {
    long long citizen_id, balance, saved_mg, entries;
    long long next_expiry_amount; /* points of the lots expiring first, 0: none */
    char next_expiry[11];
    char last_hash[CRYPTO_HASH_HEX];
};

/* ---- rules (green_rules.c, pure) ---- */
bool green_grade_parse(const char *s, enum green_grade *out);
const char *green_grade_name(enum green_grade g);
const char *green_grade_label(enum green_grade g);
bool green_dedup_parse(const char *s, enum green_dedup *out);
const char *green_dedup_label(enum green_dedup d);
const char *green_status_label(const char *status);
const char *green_kind_label(const char *kind);
/* A factor as a draft may hold it; false with p filled (field names the factor's field). */
bool green_factor_check(const struct green_factor *f, struct problem *p);
/* The activity date against today and the claim window: a future date or one older than
 * claim_days is refused (422, field activity_date). */
bool green_claim_check(int activity_day, int today, long long claim_days, struct problem *p);
/* Points and mg of quantity (in the behaviour's quantity unit) at a grade, rounded down. */
void green_amounts(const struct green_factor *f, long long scale, long long quantity,
                   enum green_grade g, long long *points, long long *mg);
/* What the caps leave of requested, given the points already credited this day/month/year;
 * *cap names the cap that cut it ("day", "month", "year") or "". */
long long green_cap_credit(const struct green_factor *f, long long used_day, long long used_month,
                           long long used_year, long long requested, const char **cap);
/* The usage periods of a day: "d2026-12-03", "m2026-12", "y2026". */
void green_periods(int day, char d[12], char m[9], char y[6]);
int green_shard(long long citizen_id);
/* Whether by may publish the version (a draft, drafted by someone else). */
bool green_publish_check(const struct green_version *v, long long by, struct problem *p);
/* The hash of an entry, over its fields and its prev_hash (the chain's one definition). */
void green_entry_hash(const struct green_entry *e, char out[CRYPTO_HASH_HEX]);
/* Whether code is in a channel's comma-separated list. */
bool green_channel_allows(const char *list, const char *code);

/* ---- service (green.c) ---- */
typedef bool (*green_behaviour_fn)(void *ctx, const struct green_behaviour *b,
                                   const struct green_factor *f); /* f NULL: none in force */
/* The catalogue with each behaviour's factor in force on day ("YYYY-MM-DD"). */
enum err green_behaviours_each(struct store *db, const char *day, green_behaviour_fn fn, void *ctx);
enum err green_behaviour_get(struct store *db, const char *code, struct green_behaviour *out);
typedef bool (*green_version_fn)(void *ctx, const struct green_version *v);
enum err green_versions_each(struct store *db, green_version_fn fn, void *ctx);
enum err green_version_get(struct store *db, long long id, struct green_version *out);
typedef bool (*green_factor_fn)(void *ctx, const struct green_factor *f);
enum err green_factors_each(struct store *db, long long version_id, green_factor_fn fn, void *ctx);
/* A draft with its factors (each checked; a behaviour at most once). */
enum err green_version_draft(struct store *db, const char *title, const char *effective_from,
                             const struct green_factor *fs, size_t n, long long by, long long now,
                             long long *id, struct problem *p);
enum err green_version_publish(struct store *db, long long id, long long by, long long now,
                               struct problem *p);

/* A channel with its credential; out receives the token and secret, shown once. */
enum err green_channel_create(struct store *db, const struct keys *k, const char *name,
                              const char *operator_name, const char *behaviours, long long by,
                              long long now, struct chancred_secret *out, long long *id,
                              struct problem *p);
typedef bool (*green_channel_fn)(void *ctx, const struct green_channel *c);
enum err green_channels_each(struct store *db, green_channel_fn fn, void *ctx);
enum err green_channel_get(struct store *db, long long id, struct green_channel *out);
enum err green_channel_by_cred(struct store *db, long long cred_id, struct green_channel *out);
enum err green_channel_revoke(struct store *db, long long id, long long now, struct problem *p);

/* Credits one event of channel c (see the top comment); a refusal fills p (field names the
 * event's field) and changes nothing. */
enum err green_ingest(struct store *db, const struct green_channel *c, const struct green_event *ev,
                      long long now, struct green_result *res, struct problem *p);
/* Reverses earn entry id with a reversing entry; *new_id the new entry. */
enum err green_reverse(struct store *db, long long entry_id, const char *memo, long long by,
                       long long now, long long *new_id, struct problem *p);
enum err green_entry_get(struct store *db, long long id, struct green_entry *out);

/* A citizen's account (zeros when none yet) with the next expiry. */
enum err green_account_get(struct store *db, long long citizen_id, int today,
                           struct green_account *out);
typedef bool (*green_entry_fn)(void *ctx, const struct green_entry *e);
/* The account's entries, newest first, after_seq 0 for the first page. */
enum err green_entries_each(struct store *db, long long citizen_id, long long before_seq,
                            long long limit, green_entry_fn fn, void *ctx);
struct green_total {
    const char *behaviour;
    long long points, saved_mg, entries;
};
typedef bool (*green_total_fn)(void *ctx, const struct green_total *t);
/* The account's points and mg by behaviour (reversals netted). */
enum err green_totals_each(struct store *db, long long citizen_id, green_total_fn fn, void *ctx);

/* Checks every account's balance and entry count against its entries, each issuing account
 * against its entries, the sum of all accounts (zero), and each account's hash chain. *bad true
 * with why naming the first thing wrong. */
enum err green_verify(struct store *db, long long *entries, bool *bad, char *why, size_t len);

#endif
