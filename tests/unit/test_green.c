/* test_green.c - unit tests of green points' pure rules (green/green_rules.c) and the channel
 * signature (org/chancred.c, chancred_sign): grades, the factor check, the claim window, amounts
 * in integer mg and points, caps, periods, shards, the four-eyes rule of publishing and the
 * entry hash that the chain and `ecoact verify green` rest on. */
#include <criterion/criterion.h>
#include <string.h>
#include "base/crypto.h"
#include "base/date.h"
#include "green/green.h"

static struct green_factor metro(void)
{
    struct green_factor f = {.version_id = 1,
                             .mg_per_unit = 46800,
                             .points_per_unit = 47,
                             .pct = {100, 100, 50},
                             .cap_day = 500,
                             .cap_month = 5000,
                             .cap_year = 50000,
                             .claim_days = 7,
                             .validity_days = 3650};
    strcpy(f.behaviour, "metro");
    strcpy(f.source_doc, "深圳 46.8");
    return f;
}

Test(green_rules, grades_parse_and_weaker_evidence_earns_less)
{
    enum green_grade g;
    cr_assert(green_grade_parse("self", &g));
    cr_assert_eq(g, GREEN_GRADE_SELF);
    cr_assert_not(green_grade_parse("photo", &g));
    cr_assert_str_eq(green_grade_label(GREEN_GRADE_SELF), "自主打卡");
    struct green_factor f = metro();
    long long pts, mg;
    green_amounts(&f, 1000, 5200, GREEN_GRADE_PARTNER, &pts, &mg);
    cr_assert_eq(pts, 244);
    cr_assert_eq(mg, 243360);
    green_amounts(&f, 1000, 5200, GREEN_GRADE_SELF, &pts, &mg);
    cr_assert_eq(pts, 122);
    cr_assert_eq(mg, 243360); /* the act saved as much; only the credit is weaker */
}

Test(green_rules, a_factor_is_checked)
{
    struct problem p = {0};
    struct green_factor f = metro();
    cr_assert(green_factor_check(&f, &p));
    f.validity_days = 3651;
    cr_assert_not(green_factor_check(&f, &p));
    cr_assert_str_eq(p.field, "validity_days");
    f = metro();
    f.pct[GREEN_GRADE_SELF] = 100;
    f.pct[GREEN_GRADE_PROOF] = 80;
    cr_assert_not(green_factor_check(&f, &p));
    f = metro();
    f.source_doc[0] = 0;
    cr_assert_not(green_factor_check(&f, &p));
    cr_assert_str_eq(p.field, "source_doc");
}

Test(green_rules, the_claim_window_and_future_dates)
{
    struct problem p = {0};
    int today = date_from_ymd(2026, 12, 3);
    cr_assert(green_claim_check(today, today, 7, &p));
    cr_assert(green_claim_check(today - 6, today, 7, &p));
    cr_assert_not(green_claim_check(today - 7, today, 7, &p));
    cr_assert_str_eq(p.field, "activity_date");
    cr_assert_not(green_claim_check(today + 1, today, 7, &p));
}

Test(green_rules, caps_credit_up_to_the_tightest)
{
    struct green_factor f = metro();
    const char *cap;
    cr_assert_eq(green_cap_credit(&f, 0, 0, 0, 244, &cap), 244);
    cr_assert_str_eq(cap, "");
    cr_assert_eq(green_cap_credit(&f, 488, 488, 488, 470, &cap), 12);
    cr_assert_str_eq(cap, "day");
    cr_assert_eq(green_cap_credit(&f, 0, 4990, 4990, 100, &cap), 10);
    cr_assert_str_eq(cap, "month");
    cr_assert_eq(green_cap_credit(&f, 500, 600, 600, 10, &cap), 0);
    f.cap_day = f.cap_month = f.cap_year = 0; /* none */
    cr_assert_eq(green_cap_credit(&f, 1 << 30, 1 << 30, 1 << 30, 99, &cap), 99);
}

Test(green_rules, periods_shards_and_channel_lists)
{
    char d[12], m[9], y[6];
    green_periods(date_from_ymd(2026, 2, 9), d, m, y);
    cr_assert_str_eq(d, "d2026-02-09");
    cr_assert_str_eq(m, "m2026-02");
    cr_assert_str_eq(y, "y2026");
    cr_assert_eq(green_shard(33), 1);
    cr_assert(green_channel_allows("metro,bus", "bus"));
    cr_assert_not(green_channel_allows("metro,bus", "bu"));
    cr_assert_not(green_channel_allows("", "bus"));
}

Test(green_rules, the_drafter_never_publishes)
{
    struct green_version v = {.id = 2, .drafted_by = 7};
    strcpy(v.status, "draft");
    struct problem p = {0};
    cr_assert_not(green_publish_check(&v, 7, &p));
    cr_assert_eq(p.err, ERR_FORBIDDEN);
    cr_assert(green_publish_check(&v, 8, &p));
    strcpy(v.status, "published");
    cr_assert_not(green_publish_check(&v, 8, &p));
    cr_assert_eq(p.err, ERR_CONFLICT);
}

Test(green_rules, the_entry_hash_covers_every_field_and_the_chain)
{
    struct green_entry e = {.citizen_id = 5,
                            .seq = 1,
                            .amount = 244,
                            .saved_mg = 243360,
                            .version_id = 1,
                            .event_id = 9,
                            .created_at = 1700000000};
    strcpy(e.kind, "earn");
    strcpy(e.behaviour, "metro");
    strcpy(e.issuer_day, "2026-12-03");
    strcpy(e.activity_date, "2026-12-03");
    strcpy(e.prev_hash, GREEN_GENESIS);
    char a[CRYPTO_HASH_HEX], b[CRYPTO_HASH_HEX];
    green_entry_hash(&e, a);
    green_entry_hash(&e, b);
    cr_assert_str_eq(a, b);
    e.amount = 245;
    green_entry_hash(&e, b);
    cr_assert_str_neq(a, b);
    e.amount = 244;
    e.prev_hash[0] = '1';
    green_entry_hash(&e, b);
    cr_assert_str_neq(a, b);
}

Test(green_rules, the_channel_signature_is_hmac_sha256_of_timestamp_dot_body)
{
    char sig[68];
    /* computed independently (Python hmac): HMAC-SHA256(key "key", message "1.{}") */
    chancred_sign("key", "1", "{}", 2, sig);
    cr_assert_str_eq(sig, "v1=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224");
    char other[68];
    chancred_sign("key", "2", "{}", 2, other);
    cr_assert_str_neq(sig, other);
}
