/* survey_rake.c - survey weights and estimates (survey_rake.h): raking, trimming, the design
 * effect and weighted shares with linearised standard errors. Pure functions over arrays; the
 * weights are doubles (they are estimates, not counted amounts). */
#include "survey/survey_rake.h"
#include <math.h>
#include <stdlib.h>

#define Z95 1.959963984540054

static double max_gap(size_t n, const struct rake_var *v, size_t nv, const double *w, double *tot)
{
    double gap = 0;
    for (size_t k = 0; k < nv; k++) {
        for (size_t c = 0; c < v[k].ncat; c++)
            tot[c] = 0;
        for (size_t i = 0; i < n; i++)
            tot[v[k].cat[i]] += w[i];
        for (size_t c = 0; c < v[k].ncat; c++) {
            if (v[k].pop[c] <= 0) continue;
            double g = fabs(tot[c] - v[k].pop[c]) / v[k].pop[c];
            if (g > gap) gap = g;
        }
    }
    return gap;
}

void rake(size_t n, const struct rake_var *v, size_t nv, double *w, double tol, int maxit,
          struct rake_result *res)
{
    res->iterations = 0;
    res->converged = false;
    res->max_gap = INFINITY;
    res->why = NULL;
    size_t most = 1;
    for (size_t k = 0; k < nv; k++)
        if (v[k].ncat > most) most = v[k].ncat;
    double *tot = calloc(most, sizeof *tot);
    if (!tot) {
        res->why = "内存不足";
        return;
    }
    for (size_t k = 0; k < nv && !res->why; k++) {
        for (size_t c = 0; c < v[k].ncat; c++)
            tot[c] = 0;
        for (size_t i = 0; i < n; i++)
            tot[v[k].cat[i]] += w[i];
        for (size_t c = 0; c < v[k].ncat; c++)
            if (v[k].pop[c] > 0 && tot[c] <= 0) res->why = "有总体人口的类别在样本中无人，无法加权";
    }
    if (res->why) goto out;
    res->max_gap = max_gap(n, v, nv, w, tot);
    while (res->max_gap > tol && res->iterations < maxit) {
        for (size_t k = 0; k < nv; k++) {
            for (size_t c = 0; c < v[k].ncat; c++)
                tot[c] = 0;
            for (size_t i = 0; i < n; i++)
                tot[v[k].cat[i]] += w[i];
            for (size_t c = 0; c < v[k].ncat; c++)
                tot[c] = tot[c] > 0 ? v[k].pop[c] / tot[c] : 0;
            for (size_t i = 0; i < n; i++)
                w[i] *= tot[v[k].cat[i]];
        }
        res->iterations++;
        res->max_gap = max_gap(n, v, nv, w, tot);
    }
    res->converged = res->max_gap <= tol;
out:
    free(tot);
}

size_t rake_trim(size_t n, double *w, double cap)
{
    if (n == 0 || cap <= 1) return 0;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    double limit = cap * total / (double)n;
    unsigned char *fixed = calloc(n, 1);
    if (!fixed) return 0;
    size_t trimmed = 0;
    for (int round = 0; round < 50; round++) {
        double excess = 0, free_sum = 0;
        for (size_t i = 0; i < n; i++) {
            if (w[i] > limit * (1 + 1e-12)) {
                excess += w[i] - limit;
                w[i] = limit;
                if (!fixed[i]) trimmed++;
                fixed[i] = 1;
            }
            if (!fixed[i]) free_sum += w[i];
        }
        if (excess == 0 || free_sum <= 0) break;
        double f = (free_sum + excess) / free_sum;
        for (size_t i = 0; i < n; i++)
            if (!fixed[i]) w[i] *= f;
    }
    free(fixed);
    return trimmed;
}

void rake_kish(size_t n, const double *w, double *deff, double *neff)
{
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        s += w[i];
        s2 += w[i] * w[i];
    }
    *neff = s2 > 0 ? s * s / s2 : 0;
    *deff = s > 0 ? (double)n * s2 / (s * s) : 0;
}

void rake_share(size_t n, const double *w, const int *y, struct rake_share *out)
{
    double sw = 0, swy = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0) continue;
        sw += w[i];
        swy += w[i] * (y[i] ? 1 : 0);
        m++;
    }
    out->n = m;
    out->p = sw > 0 ? swy / sw : 0;
    double v = 0;
    for (size_t i = 0; i < n && m > 1 && sw > 0; i++) {
        if (y[i] < 0) continue;
        double z = w[i] * ((y[i] ? 1 : 0) - out->p) / sw;
        v += z * z;
    }
    out->se = m > 1 ? sqrt(v * (double)m / (double)(m - 1)) : 0;
    out->lo = out->p - Z95 * out->se;
    out->hi = out->p + Z95 * out->se;
}

void rake_gap(size_t n, const double *w, const int *y1, const int *y2, struct rake_share *out)
{
    double sw = 0, s1 = 0, s2 = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (y1[i] < 0 || y2[i] < 0) continue;
        sw += w[i];
        s1 += w[i] * (y1[i] ? 1 : 0);
        s2 += w[i] * (y2[i] ? 1 : 0);
        m++;
    }
    out->n = m;
    double p1 = sw > 0 ? s1 / sw : 0, p2 = sw > 0 ? s2 / sw : 0, v = 0;
    out->p = p1 - p2;
    for (size_t i = 0; i < n && m > 1 && sw > 0; i++) {
        if (y1[i] < 0 || y2[i] < 0) continue;
        double z = w[i] * (((y1[i] ? 1 : 0) - p1) - ((y2[i] ? 1 : 0) - p2)) / sw;
        v += z * z;
    }
    out->se = m > 1 ? sqrt(v * (double)m / (double)(m - 1)) : 0;
    out->lo = out->p - Z95 * out->se;
    out->hi = out->p + Z95 * out->se;
}
