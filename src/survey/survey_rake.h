/* survey_rake.h - the numerics of survey weights and estimates (survey_rake.c, pure, no
 * database): raking (iterative proportional fitting) of base weights to population margins,
 * trimming, Kish's design effect and effective sample size, and weighted shares with their
 * linearised standard errors and 95% intervals. Unit-tested in tests/unit/test_survey.c, and
 * compared with R's survey package in tests/r (make test, when R is installed).
 *
 *   struct rake_var v[3] = {{.ncat = 38, .cat = district, .pop = pop_district}, …};
 *   struct rake_result res;
 *   rake(n, v, 3, w, 1e-10, 100, &res); // w: base weights in, raked weights out
 *   if (!res.converged) … // the report says so; the weights are not final
 */
#ifndef ECOACT_SURVEY_RAKE_H
#define ECOACT_SURVEY_RAKE_H
#include <stdbool.h>
#include <stddef.h>

/* One raking variable: each respondent's category (0 … ncat-1) and the population totals. */
struct rake_var {
    size_t ncat;
    const int *cat;    /* [n] */
    const double *pop; /* [ncat] */
};

struct rake_result {
    int iterations;  /* full passes over the variables */
    bool converged;  /* max relative gap of a margin ≤ tol */
    double max_gap;  /* max |weighted total - population| / population after the last pass */
    const char *why; /* NULL, or why raking could not run (an empty cell in the sample) */
};

/* Rakes w[n] (base weights in, weights out) to the margins of nv variables: each pass scales the
 * weights of each category of each variable in turn so that its weighted total equals the
 * population's. Stops when max_gap ≤ tol or after maxit passes. A category with population > 0
 * and no respondent cannot be reached: why is set, converged false, w untouched. */
void rake(size_t n, const struct rake_var *v, size_t nv, double *w, double tol, int maxit,
          struct rake_result *res);

/* Trims weights to at most cap × their mean, spreading the excess over the untrimmed ones so that
 * the total stays; repeats until none exceeds the cap (≤ 50 rounds). Returns how many were
 * trimmed. */
size_t rake_trim(size_t n, double *w, double cap);

/* Kish: deff = n Σw² / (Σw)², n_eff = (Σw)² / Σw². */
void rake_kish(size_t n, const double *w, double *deff, double *neff);

/* A weighted share of y (0/1; y[i] < 0: not asked, left out) with its linearised standard
 * error (weights taken as fixed, with-replacement design, n/(n-1) as R's survey does) and 95%
 * interval (normal, 1.959963984540054). */
struct rake_share {
    double p, se, lo, hi;
    size_t n; /* respondents counted */
};
void rake_share(size_t n, const double *w, const int *y, struct rake_share *out);

/* The gap p(y1) - p(y2) of two 0/1 items on the same respondents (both answered), with the
 * linearised standard error of the difference (their covariance included) and 95% interval. */
void rake_gap(size_t n, const double *w, const int *y1, const int *y2, struct rake_share *out);

#endif
