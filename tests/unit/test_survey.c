/* test_survey.c - unit tests of surveys' pure parts: the questionnaire checks (loops, forward
 * and unknown references named by question), answers against the skip logic and ranges, the
 * quota cell key (survey/survey_rules.c), and the numerics (survey/survey_rake.c): raking to
 * margins with its iteration count, non-convergence reported, an empty category refused,
 * trimming keeping the total, Kish's design effect, weighted shares with linearised standard
 * errors; and, when Rscript with the survey package is installed, the same data raked by R's
 * survey::rake (tests/r/rake.R): weights agree to 1e-9 relative, the share and its standard
 * error to 1e-6. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "survey/survey.h"
#include "survey/survey_rake.h"

static json_t *def_of(const char *text)
{
    json_error_t je;
    json_t *d = json_loads(text, 0, &je);
    cr_assert_not_null(d, "%s", je.text);
    return d;
}

#define Q(code, extra)                                                                             \
    "{\"code\":\"" code "\",\"type\":\"single\",\"text\":\"t\",\"options\":[{\"value\":1,"         \
    "\"label\":\"y\"},{\"value\":2,\"label\":\"n\"}]" extra "}"
#define DEF(qs) "{\"sections\":[{\"title\":\"s\",\"questions\":[" qs "]}]}"

Test(survey_rules, a_loop_is_named_by_its_question)
{
    json_t *d = def_of(DEF(Q("A", ",\"show_if\":{\"q\":\"C\",\"op\":\"eq\",\"value\":1}") "," Q(
        "B", "") "," Q("C", ",\"show_if\":{\"q\":\"A\",\"op\":\"eq\",\"value\":1}")));
    struct problem p = {0};
    cr_assert_not(survey_def_check(d, &p));
    cr_assert_eq(p.err, ERR_RULE);
    cr_assert_str_eq(p.field, "sections[0].questions[0]");
    cr_assert(strstr(p.msg, "循环"), "%s", p.msg);
    json_decref(d);
}

Test(survey_rules, a_forward_or_unknown_reference_is_refused)
{
    struct problem p = {0};
    json_t *d =
        def_of(DEF(Q("A", ",\"show_if\":{\"q\":\"B\",\"op\":\"eq\",\"value\":1}") "," Q("B", "")));
    cr_assert_not(survey_def_check(d, &p));
    cr_assert_str_eq(p.field, "sections[0].questions[0]");
    cr_assert(strstr(p.msg, "后面的题目 B"), "%s", p.msg);
    json_decref(d);
    d = def_of(DEF(Q("A", "") "," Q("B", ",\"show_if\":{\"q\":\"X\",\"op\":\"eq\",\"value\":1}")));
    cr_assert_not(survey_def_check(d, &p));
    cr_assert_str_eq(p.field, "sections[0].questions[1]");
    json_decref(d);
    d = def_of(
        DEF(Q("A", "") "," Q("B", ",\"show_if\":[{\"q\":\"A\",\"op\":\"in\",\"value\":[1,2]}]")));
    cr_assert(survey_def_check(d, &p), "%s", p.msg);
    json_decref(d);
}

Test(survey_rules, answers_follow_ranges_and_skip_logic)
{
    json_t *d = def_of(DEF(Q("A", ",\"required\":true") "," Q(
        "B", ",\"required\":true,\"show_if\":{\"q\":\"A\",\"op\":\"eq\","
             "\"value\":1}") ","
                             "{\"code\":\"L\",\"type\":\"likert\","
                             "\"text\":\"l\",\"attention_expect\":4}"));
    struct problem p = {0};
    char flags[64];
    json_t *a = def_of("{\"A\":2,\"B\":1}");
    cr_assert_not(survey_answers_check(d, a, false, flags, sizeof flags, &p));
    cr_assert_str_eq(p.field, "answers.B");
    json_decref(a);
    a = def_of("{\"A\":3}");
    cr_assert_not(survey_answers_check(d, a, false, flags, sizeof flags, &p));
    cr_assert_str_eq(p.field, "answers.A");
    json_decref(a);
    a = def_of("{\"A\":1}");
    cr_assert(survey_answers_check(d, a, false, flags, sizeof flags, &p)); /* a draft */
    cr_assert_not(survey_answers_check(d, a, true, flags, sizeof flags, &p));
    cr_assert_str_eq(p.field, "answers.B");
    json_decref(a);
    a = def_of("{\"A\":2,\"L\":2}");
    cr_assert(survey_answers_check(d, a, true, flags, sizeof flags, &p), "%s", p.msg);
    cr_assert_str_eq(flags, "attention");
    char cell[32];
    cr_assert(survey_cell_key("A,L", a, cell, sizeof cell));
    cr_assert_str_eq(cell, "2|2");
    cr_assert_not(survey_cell_key("A,B", a, cell, sizeof cell));
    json_decref(a);
    json_decref(d);
}

Test(survey_rake, two_margins_are_met_and_the_passes_counted)
{
    /* 2 × 2 sample, 10 respondents, margins a = (60, 40), b = (30, 70) */
    int a[10] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, b[10] = {0, 1, 1, 1, 0, 1, 0, 0, 1, 1};
    double pa[2] = {60, 40}, pb[2] = {30, 70}, w[10];
    for (int i = 0; i < 10; i++)
        w[i] = 1;
    struct rake_var v[2] = {{2, a, pa}, {2, b, pb}};
    struct rake_result r;
    rake(10, v, 2, w, 1e-12, 100, &r);
    cr_assert(r.converged);
    cr_assert_gt(r.iterations, 1);
    double ta[2] = {0}, tb[2] = {0};
    for (int i = 0; i < 10; i++) {
        ta[a[i]] += w[i];
        tb[b[i]] += w[i];
    }
    cr_assert_float_eq(ta[0], 60, 1e-9);
    cr_assert_float_eq(tb[0], 30, 1e-9);
    /* one pass is not enough: reported, not final */
    for (int i = 0; i < 10; i++)
        w[i] = 1;
    rake(10, v, 2, w, 1e-12, 1, &r);
    cr_assert_not(r.converged);
    cr_assert_eq(r.iterations, 1);
    cr_assert_gt(r.max_gap, 1e-12);
}

Test(survey_rake, an_empty_category_cannot_be_raked)
{
    int a[3] = {0, 0, 0};
    double pa[2] = {5, 5}, w[3] = {1, 1, 1};
    struct rake_var v[1] = {{2, a, pa}};
    struct rake_result r;
    rake(3, v, 1, w, 1e-9, 10, &r);
    cr_assert_not(r.converged);
    cr_assert_not_null(r.why);
    cr_assert_float_eq(w[0], 1, 1e-15);
}

Test(survey_rake, trimming_keeps_the_total_and_kish)
{
    double w[5] = {1, 1, 1, 1, 16}, deff, neff;
    rake_kish(5, w, &deff, &neff);
    cr_assert_float_eq(neff, 400.0 / 260.0, 1e-12);
    cr_assert_float_eq(deff, 5 * 260.0 / 400.0, 1e-12);
    size_t t = rake_trim(5, w, 2.0);
    cr_assert_eq(t, 1);
    double s = 0;
    for (int i = 0; i < 5; i++)
        s += w[i];
    cr_assert_float_eq(s, 20, 1e-9);
    for (int i = 0; i < 5; i++)
        cr_assert_leq(w[i], 8 + 1e-9);
}

Test(survey_rake, a_share_with_its_linearised_error)
{
    double w[4] = {1, 1, 1, 1};
    int y[5] = {1, 0, 1, 1, -1};
    struct rake_share s;
    rake_share(4, w, y, &s);
    cr_assert_float_eq(s.p, 0.75, 1e-15);
    /* n/(n-1) Σ((y-p)/n)² = 4/3 × (3 × 0.0625 + 0.5625) / 16 */
    cr_assert_float_eq(s.se, sqrt(4.0 / 3.0 * 0.75 / 16.0), 1e-15);
    cr_assert_float_eq(s.hi - s.p, 1.959963984540054 * s.se, 1e-15);
}

/* The reference: R's survey::rake on the same data. */
Test(survey_rake, agrees_with_r_survey)
{
    if (system("Rscript -e 'suppressMessages(library(survey))' >/dev/null 2>&1") != 0)
        cr_skip_test("Rscript with the survey package is not installed");
    enum { N = 600 };
    static int a[N], b[N], c[N], y[N];
    static double w[N], w0[N];
    size_t na = 5, nb = 6, nc = 2;
    double pa[5] = {1200, 900, 1500, 700, 1700}, pb[6] = {800, 1000, 1100, 1050, 1000, 1050},
           pc[2] = {2950, 3050};
    unsigned s = 12345;
    char dir[] = "/tmp/ecoact-rake-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char dp[64], mp[64], op[64], cmd[256];
    snprintf(dp, sizeof dp, "%s/d.csv", dir);
    snprintf(mp, sizeof mp, "%s/m.csv", dir);
    snprintf(op, sizeof op, "%s/o.csv", dir);
    FILE *f = fopen(dp, "w");
    fprintf(f, "a,b,c,w0,y\n");
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        a[i] = (int)((s >> 8) % na);
        s = s * 1103515245u + 12345u;
        b[i] = (int)((s >> 8) % nb);
        s = s * 1103515245u + 12345u;
        c[i] = (int)((s >> 8) % nc);
        s = s * 1103515245u + 12345u;
        y[i] = (int)((s >> 8) % 10) < 3 + a[i];
        w0[i] = w[i] = 1 + (double)((s >> 4) % 3);
        fprintf(f, "%d,%d,%d,%.17g,%d\n", a[i], b[i], c[i], w0[i], y[i]);
    }
    fclose(f);
    f = fopen(mp, "w");
    fprintf(f, "var,cat,pop\n");
    for (size_t k = 0; k < na; k++)
        fprintf(f, "a,%zu,%.17g\n", k, pa[k]);
    for (size_t k = 0; k < nb; k++)
        fprintf(f, "b,%zu,%.17g\n", k, pb[k]);
    for (size_t k = 0; k < nc; k++)
        fprintf(f, "c,%zu,%.17g\n", k, pc[k]);
    fclose(f);
    snprintf(cmd, sizeof cmd, "Rscript tests/r/rake.R %s %s %s", dp, mp, op);
    cr_assert_eq(system(cmd), 0, "%s failed", cmd);
    struct rake_var v[3] = {{na, a, pa}, {nb, b, pb}, {nc, c, pc}};
    struct rake_result r;
    rake(N, v, 3, w, 1e-14, 1000, &r);
    cr_assert(r.converged, "gap %g after %d", r.max_gap, r.iterations);
    f = fopen(op, "r");
    cr_assert_not_null(f);
    for (int i = 0; i < N; i++) {
        double rw;
        cr_assert_eq(fscanf(f, "%lf", &rw), 1);
        cr_assert_leq(fabs(w[i] - rw) / rw, 1e-9, "weight %d: ours %.17g, R %.17g", i, w[i], rw);
    }
    double rp, rse;
    cr_assert_eq(fscanf(f, "%lf %lf", &rp, &rse), 2);
    fclose(f);
    struct rake_share sh;
    rake_share(N, w, y, &sh);
    cr_assert_leq(fabs(sh.p - rp), 1e-6, "share ours %.12g R %.12g", sh.p, rp);
    cr_assert_leq(fabs(sh.se - rse), 1e-6, "se ours %.12g R %.12g", sh.se, rse);
    remove(dp);
    remove(mp);
    remove(op);
    rmdir(dir);
}
