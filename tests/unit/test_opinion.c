/* test_opinion.c - unit tests of the public-opinion rule language and its one-pass matcher
 * (opinion/opinion_match.c): operators and their precedence, phrases, NEAR/ONEAR distances in
 * characters, the refusals with their positions, one automaton over many rules against a naive
 * search, and the positions of the hits. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "opinion/opinion.h"
#include "opinion/opinion_match.h"

/* Whether the single rule expr matches text. */
static bool m(const char *expr, const char *text)
{
    struct om_rule_src r = {expr};
    struct om_error err;
    size_t bad;
    struct om_set *s = om_build(&r, 1, &err, &bad);
    cr_assert(s, "%s: %s", expr, err.msg);
    struct om_scratch *sc = om_scratch_new(s);
    size_t n = om_match(s, sc, text, strlen(text), NULL, NULL);
    om_scratch_free(sc);
    om_free(s);
    return n == 1;
}

static struct om_error refused(const char *expr)
{
    struct om_error err;
    cr_assert_not(om_check(expr, &err), "%s should be refused", expr);
    cr_assert(err.msg[0]);
    return err;
}

Test(opinion_match, and_or_not)
{
    cr_assert(m("化工厂 AND 异味", "小区旁边的化工厂每晚都有异味"));
    cr_assert_not(m("化工厂 AND 异味", "化工厂今天开放日"));
    cr_assert(m("化工厂 异味", "异味来自化工厂"), "words side by side are an AND");
    cr_assert(m("偷排 OR 直排", "企业直排污水"));
    cr_assert(m("污水 AND NOT 演练", "河里有污水"));
    cr_assert_not(m("污水 AND NOT 演练", "污水处理应急演练"));
    cr_assert(m("Smell", "a strong SMELL at night"), "ASCII letters without regard to case");
}

Test(opinion_match, precedence_not_and_or)
{
    /* a OR b AND c = a OR (b AND c) */
    cr_assert(m("噪声 OR 工地 AND 夜间", "噪声扰民"));
    cr_assert_not(m("噪声 OR 工地 AND 夜间", "工地白天施工"));
    cr_assert(m("(噪声 OR 工地) AND 夜间", "工地夜间施工"));
    cr_assert_not(m("(噪声 OR 工地) AND 夜间", "噪声扰民"));
    /* NOT a AND b = (NOT a) AND b */
    cr_assert(m("NOT 演练 AND 泄漏", "化学品泄漏"));
    cr_assert_not(m("NOT 演练 AND 泄漏", "泄漏演练"));
    /* NOT binds to the next operand only: 垃圾 AND NOT 分类 OR 焚烧 = (垃圾 AND NOT 分类) OR 焚烧
     */
    cr_assert(m("垃圾 AND NOT 分类 OR 焚烧", "垃圾分类焚烧"));
}

Test(opinion_match, phrases_are_literal)
{
    cr_assert(m("\"黑臭 水体\"", "发现黑臭 水体一处"));
    cr_assert_not(m("\"黑臭 水体\"", "黑臭的水体"));
    cr_assert(m("\"A AND B\"", "text with a and b inside"), "operators inside a phrase are words");
}

Test(opinion_match, near_counts_characters_either_order)
{
    /* 排污 … 长江: "偷偷往" is 3 characters between */
    cr_assert(m("排污 NEAR/3 长江", "工厂排污偷偷往长江"));
    cr_assert_not(m("排污 NEAR/2 长江", "工厂排污偷偷往长江"));
    cr_assert(m("排污 NEAR/3 长江", "长江边偷排污"), "NEAR is unordered");
    cr_assert_not(m("排污 ONEAR/3 长江", "长江边偷排污"), "ONEAR keeps the order");
    cr_assert(m("排污 ONEAR/3 长江", "排污进长江"));
    /* any pair of occurrences will do */
    cr_assert(m("排污 NEAR/1 长江", "排污很远很远很远的地方，后来又排污入长江"));
    cr_assert(m("(排污 OR 偷排) NEAR/2 (长江 OR 嘉陵江)", "有人偷排到嘉陵江"));
    cr_assert(m("(a1 NEAR/2 b2) NEAR/3 c3", "a1 b2 x c3"));
}

Test(opinion_match, refusals_with_positions)
{
    struct om_error e = refused("");
    cr_assert_eq(e.pos, 0);
    refused("   ");
    e = refused("排污 NEAR 长江");
    cr_assert_eq(e.pos, 3, "NEAR without a distance at %zu: %s", e.pos, e.msg);
    cr_assert(strstr(e.msg, "NEAR/n"));
    refused("排污 NEAR/ 长江");
    refused("排污 NEAR/x 长江");
    refused("排污 NEAR/0 长江");
    e = refused("NOT 演练");
    cr_assert(strstr(e.msg, "NOT"), "%s", e.msg);
    refused("NOT 演练 AND NOT 培训");
    e = refused("污水 OR NOT 演练");
    cr_assert(strstr(e.msg, "所有"), "a rule true without any word would match everything: %s",
              e.msg);
    refused("排污 OR NOT 排污");
    e = refused("(排污 AND 长江");
    cr_assert_eq(e.pos, 10, "%zu %s", e.pos, e.msg);
    e = refused("排污 AND 长江)");
    cr_assert_eq(e.pos, 9, "%zu %s", e.pos, e.msg);
    e = refused("排污 AND");
    cr_assert_eq(e.pos, 6);
    e = refused("排污 OR OR 长江");
    cr_assert_eq(e.pos, 6);
    refused("\"未结束");
    refused("\"\"");
    refused("()");
    e = refused("排污 AND x");
    cr_assert_eq(e.pos, 7, "one ASCII character matches nearly everything");
    e = refused("(排污 AND 长江) NEAR/3 工厂");
    cr_assert(strstr(e.msg, "NEAR"));
    char deep[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "(");
    strcat(deep, "排污");
    refused(deep);
    char *long_rule = malloc(OM_EXPR_MAX + 10);
    memset(long_rule, 'a', OM_EXPR_MAX + 5);
    long_rule[OM_EXPR_MAX + 5] = 0;
    refused(long_rule);
    free(long_rule);
    struct om_error ok;
    cr_assert(om_check("排污 AND NOT 演练", &ok), "%s", ok.msg);
    cr_assert(om_check("NOT (NOT 排污)", &ok), "%s", ok.msg);
    cr_assert(om_check("排污　长江", &ok), "U+3000 separates words: %s", ok.msg);
}

struct got {
    size_t rules[64], n;
    struct om_hit hits[16];
    size_t nhits;
};

static bool collect(void *ctx, size_t rule, const struct om_hit *hits, size_t n)
{
    struct got *g = ctx;
    g->rules[g->n++] = rule;
    g->nhits = n < 16 ? n : 16;
    memcpy(g->hits, hits, g->nhits * sizeof *hits);
    return true;
}

Test(opinion_match, hits_carry_character_positions)
{
    struct om_rule_src r = {"长江 AND 排污 AND NOT 演练"};
    struct om_error err;
    size_t bad;
    struct om_set *s = om_build(&r, 1, &err, &bad);
    cr_assert(s);
    struct om_scratch *sc = om_scratch_new(s);
    struct got g = {0};
    const char *t = "ab长江边排污，长江";
    cr_assert_eq(om_match(s, sc, t, strlen(t), collect, &g), 1);
    cr_assert_eq(g.nhits, 3);
    size_t len;
    cr_assert_eq(g.hits[0].start, 2);
    cr_assert_eq(g.hits[0].end, 4);
    cr_assert(strncmp(om_literal(s, g.hits[0].lit, &len), "长江", len) == 0);
    cr_assert_eq(g.hits[1].start, 5);
    cr_assert_eq(g.hits[2].start, 8);
    om_scratch_free(sc);
    om_free(s);
}

Test(opinion_match, a_refused_rule_in_a_set_names_its_index)
{
    struct om_rule_src rs[] = {{"排污"}, {"长江"}, {"NOT 演练"}};
    struct om_error err;
    size_t bad = 99;
    cr_assert_null(om_build(rs, 3, &err, &bad));
    cr_assert_eq(bad, 2);
}

/* Many rules in one automaton agree with a naive search rule by rule. */
Test(opinion_match, ten_thousand_rules_one_pass_agree_with_naive)
{
    enum { N = 10000 };
    static const char *const syl[] = {"江", "河", "污", "排", "臭", "烟", "尘", "噪",
                                      "渣", "油", "林", "山", "湖", "泥", "沙", "气"};
    char(*word)[16] = malloc(N * sizeof *word);
    char(*expr)[64] = malloc(N * sizeof *expr);
    struct om_rule_src *rs = malloc(N * sizeof *rs);
    unsigned seed = 7;
    for (int i = 0; i < N; i++) {
        word[i][0] = 0;
        int len = 2 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 3;
        for (int j = 0; j < len; j++)
            strcat(word[i], syl[((seed = seed * 1103515245 + 12345) >> 16) % 16]);
        if (i % 3 == 0)
            snprintf(expr[i], sizeof expr[i], "%s AND NOT 演练", word[i]);
        else
            snprintf(expr[i], sizeof expr[i], "%s", word[i]);
        rs[i].expr = expr[i];
    }
    struct om_error err;
    size_t bad;
    struct om_set *s = om_build(rs, N, &err, &bad);
    cr_assert(s, "%s", err.msg);
    cr_assert_lt(om_literals(s), N + 1);
    struct om_scratch *sc = om_scratch_new(s);
    char text[400];
    for (int k = 0; k < 200; k++) {
        text[0] = 0;
        for (int j = 0; j < 30; j++)
            strcat(text, syl[((seed = seed * 1103515245 + 12345) >> 16) % 16]);
        if (k % 4 == 0) strcat(text, "演练");
        size_t want = 0;
        bool drill = strstr(text, "演练") != NULL;
        for (int i = 0; i < N; i++)
            if (strstr(text, word[i]) && !(i % 3 == 0 && drill)) want++;
        cr_assert_eq(om_match(s, sc, text, strlen(text), NULL, NULL), want, "text %d", k);
        cr_assert_eq(om_any(s, text, strlen(text)), want > 0 || drill);
    }
    om_scratch_free(sc);
    om_free(s);
    free(word);
    free(expr);
    free(rs);
}

Test(opinion_rules, simhash_near_duplicates_within_three_bits)
{
    const char *a = "南岸区某小区旁边的垃圾中转站每天傍晚臭气熏天，居民多次反映至今没有解决，"
                    "希望有关部门尽快处理";
    const char *b = "南岸区某小区旁边的垃圾中转站每天傍晚臭气熏天，居民多次反映至今没有解决，"
                    "希望有关部门尽快处理！！";
    const char *c = "两江新区一条河道发现大量死鱼，河水发黑发臭，附近有施工工地在排放泥浆";
    unsigned long long ha = opinion_simhash(a, strlen(a)), hb = opinion_simhash(b, strlen(b)),
                       hc = opinion_simhash(c, strlen(c));
    cr_assert_leq(opinion_hamming(ha, hb), OPINION_SIMHASH_DISTANCE);
    cr_assert_gt(opinion_hamming(ha, hc), OPINION_SIMHASH_DISTANCE);
    cr_assert_eq(opinion_simhash("a b", 3), opinion_simhash("ab", 2), "white space is left out");
    cr_assert_eq(opinion_hamming(0, ~0ULL), 64);
}

Test(opinion_rules, precision_and_recall_round_per_mille)
{
    struct opinion_quality q = {.tp = 2, .fp = 0, .fn = 1, .tn = 2};
    opinion_quality_compute(&q);
    cr_assert_eq(q.precision_pm, 1000);
    cr_assert_eq(q.recall_pm, 667);
    struct opinion_quality none = {.tn = 3};
    opinion_quality_compute(&none);
    cr_assert_eq(none.precision_pm, -1, "no positive answer: undefined");
    cr_assert_eq(none.recall_pm, -1);
}

Test(opinion_rules, an_item_needs_source_url_time_text_and_media)
{
    struct opinion_item_in in = {.source = "微博",
                                 .url = "https://x.example/1",
                                 .text = "正文",
                                 .media = "text",
                                 .published_at = 1700000000};
    struct problem p = {0};
    cr_assert(opinion_item_check(&in, &p), "%s", p.msg);
    in.published_at = 0;
    cr_assert_not(opinion_item_check(&in, &p));
    cr_assert_str_eq(p.field, "published_at");
    in.published_at = 1;
    in.url = "javascript:alert(1)";
    cr_assert_not(opinion_item_check(&in, &p));
    cr_assert_str_eq(p.field, "url");
    in.url = "http://x";
    in.media = "hologram";
    cr_assert_not(opinion_item_check(&in, &p));
    cr_assert_str_eq(p.field, "media");
    cr_assert_str_eq(opinion_grade_label("grave"), "特别重大");
    cr_assert(opinion_topic_valid("eia"));
    cr_assert_not(opinion_topic_valid("weather"));
}
