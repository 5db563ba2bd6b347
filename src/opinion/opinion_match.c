/* opinion_match.c - the rule language's parser and the one-pass matcher (opinion_match.h). */
#include "opinion/opinion_match.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum node_kind { N_LIT, N_AND, N_OR, N_NOT, N_NEAR, N_ONEAR };

struct node {
    unsigned char kind;
    int a, b;     /* children (N_NOT: a) */
    unsigned n;   /* NEAR distance */
    unsigned lit; /* N_LIT: the rule's literal index, then the set's */
};

struct lit_ref {
    size_t off, len; /* in the expression (a phrase without its quotes) */
    bool positive;   /* under an even number of NOTs */
};

struct parsed {
    struct node nodes[OM_LITS_MAX * 2 + 8];
    size_t nn;
    struct lit_ref lits[OM_LITS_MAX];
    size_t nl;
    int root;
};

/* ---- tokens ---- */

enum tok_kind { T_END, T_LP, T_RP, T_AND, T_OR, T_NOT, T_NEAR, T_WORD, T_PHRASE };

struct lexer {
    const char *s;
    size_t len, at;
    enum tok_kind kind;
    size_t off, tlen; /* the token (a phrase: its inside) */
    unsigned n;
    bool ordered;
    int depth;
    struct om_error *err;
    bool failed;
};

static size_t chars_before(const char *s, size_t byte)
{
    size_t n = 0;
    for (size_t i = 0; i < byte; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

static bool fail_at(struct lexer *lx, size_t byte, const char *msg)
{
    if (lx->failed) return false;
    lx->failed = true;
    lx->err->byte = byte;
    lx->err->pos = chars_before(lx->s, byte);
    snprintf(lx->err->msg, sizeof lx->err->msg, "第 %zu 个字符处：%s", lx->err->pos + 1, msg);
    return false;
}

/* Width of a space at s[i] (ASCII white space or U+3000), 0 when none. */
static size_t space_at(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return 1;
    if (c == 0xE3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x80)
        return 3;
    return 0;
}

static bool word_is(const struct lexer *lx, const char *w)
{
    size_t n = strlen(w);
    return lx->tlen == n && memcmp(lx->s + lx->off, w, n) == 0;
}

static bool next(struct lexer *lx)
{
    size_t w;
    while (lx->at < lx->len && (w = space_at(lx->s, lx->len, lx->at)) > 0)
        lx->at += w;
    lx->off = lx->at;
    lx->tlen = 0;
    if (lx->at >= lx->len) return lx->kind = T_END, true;
    char c = lx->s[lx->at];
    if (c == '(' || c == ')') {
        lx->kind = c == '(' ? T_LP : T_RP;
        lx->at++;
        lx->tlen = 1;
        return true;
    }
    if (c == '"') {
        size_t start = lx->at + 1, end = start;
        while (end < lx->len && lx->s[end] != '"')
            end++;
        if (end >= lx->len) return fail_at(lx, lx->at, "短语缺少结束的引号");
        if (end == start) return fail_at(lx, lx->at, "短语为空");
        lx->kind = T_PHRASE;
        lx->off = start;
        lx->tlen = end - start;
        lx->at = end + 1;
        return true;
    }
    size_t end = lx->at;
    while (end < lx->len && !space_at(lx->s, lx->len, end) && lx->s[end] != '(' &&
           lx->s[end] != ')' && lx->s[end] != '"')
        end++;
    lx->tlen = end - lx->at;
    lx->at = end;
    lx->kind = T_WORD;
    if (word_is(lx, "AND")) lx->kind = T_AND;
    if (word_is(lx, "OR")) lx->kind = T_OR;
    if (word_is(lx, "NOT")) lx->kind = T_NOT;
    const char *t = lx->s + lx->off;
    size_t pre = lx->tlen >= 4 && memcmp(t, "NEAR", 4) == 0    ? 4
                 : lx->tlen >= 5 && memcmp(t, "ONEAR", 5) == 0 ? 5
                                                               : 0;
    if (pre && (lx->tlen == pre || t[pre] == '/')) {
        lx->ordered = pre == 5;
        if (lx->tlen <= pre + 1)
            return fail_at(lx, lx->off, "NEAR 缺少距离，应写作 NEAR/n（n 为字符数）");
        unsigned long n = 0;
        for (size_t i = pre + 1; i < lx->tlen; i++) {
            if (t[i] < '0' || t[i] > '9')
                return fail_at(lx, lx->off, "NEAR 的距离应为整数，如 NEAR/10");
            n = n * 10 + (unsigned long)(t[i] - '0');
            if (n > OM_NEAR_MAX) break;
        }
        if (n < 1 || n > OM_NEAR_MAX)
            return fail_at(lx, lx->off, "NEAR 的距离应在 1 至 2000 个字符之间");
        lx->kind = T_NEAR;
        lx->n = (unsigned)n;
    }
    return true;
}

/* ---- parser ---- */

static int add_node(struct parsed *p, struct lexer *lx, enum node_kind k, int a, int b)
{
    if (p->nn >= sizeof p->nodes / sizeof p->nodes[0]) {
        fail_at(lx, lx->off, "规则过长");
        return -1;
    }
    p->nodes[p->nn] = (struct node){.kind = (unsigned char)k, .a = a, .b = b};
    return (int)p->nn++;
}

static int parse_or(struct parsed *p, struct lexer *lx);

static int parse_primary(struct parsed *p, struct lexer *lx)
{
    if (lx->failed) return -1;
    switch (lx->kind) {
    case T_LP: {
        size_t at = lx->off;
        if (++lx->depth > OM_DEPTH_MAX) return fail_at(lx, at, "括号嵌套过深"), -1;
        if (!next(lx)) return -1;
        if (lx->kind == T_RP) return fail_at(lx, lx->off, "括号内为空"), -1;
        int e = parse_or(p, lx);
        if (e < 0) return -1;
        if (lx->kind != T_RP) return fail_at(lx, lx->off, "缺少右括号"), -1;
        lx->depth--;
        if (!next(lx)) return -1;
        return e;
    }
    case T_WORD:
    case T_PHRASE: {
        if (p->nl >= OM_LITS_MAX)
            return fail_at(lx, lx->off, "关键词过多（每条规则最多 128 个）"), -1;
        if (lx->tlen == 1 && (unsigned char)lx->s[lx->off] < 0x80)
            return fail_at(lx, lx->off, "关键词过短：单个字母、数字或符号会命中几乎所有文本"), -1;
        p->lits[p->nl] = (struct lit_ref){lx->off, lx->tlen, false};
        int i = add_node(p, lx, N_LIT, -1, -1);
        if (i < 0) return -1;
        p->nodes[i].lit = (unsigned)p->nl++;
        if (!next(lx)) return -1;
        return i;
    }
    case T_RP:
        return fail_at(lx, lx->off, "多余的右括号"), -1;
    case T_END:
        return fail_at(lx, lx->off, "规则不完整：此处还应有关键词"), -1;
    default:
        return fail_at(lx, lx->off, "此处应为关键词、短语或左括号"), -1;
    }
}

static bool positional(const struct parsed *p, int i)
{
    const struct node *n = &p->nodes[i];
    if (n->kind == N_LIT || n->kind == N_NEAR || n->kind == N_ONEAR) return true;
    return n->kind == N_OR && positional(p, n->a) && positional(p, n->b);
}

static int parse_near(struct parsed *p, struct lexer *lx)
{
    int left = parse_primary(p, lx);
    while (left >= 0 && lx->kind == T_NEAR) {
        size_t at = lx->off;
        unsigned n = lx->n;
        bool ordered = lx->ordered;
        if (!next(lx)) return -1;
        int right = parse_primary(p, lx);
        if (right < 0) return -1;
        if (!positional(p, left) || !positional(p, right))
            return fail_at(lx, at, "NEAR 两侧只能是关键词、短语或用 OR 连接的关键词"), -1;
        left = add_node(p, lx, ordered ? N_ONEAR : N_NEAR, left, right);
        if (left >= 0) p->nodes[left].n = n;
    }
    return left;
}

static int parse_unary(struct parsed *p, struct lexer *lx)
{
    if (lx->failed) return -1;
    if (lx->kind == T_NOT) {
        size_t at = lx->off;
        if (++lx->depth > OM_DEPTH_MAX) return fail_at(lx, at, "NOT 嵌套过深"), -1;
        if (!next(lx)) return -1;
        int a = parse_unary(p, lx);
        lx->depth--;
        if (a < 0) return -1;
        return add_node(p, lx, N_NOT, a, -1);
    }
    return parse_near(p, lx);
}

static int parse_and(struct parsed *p, struct lexer *lx)
{
    int left = parse_unary(p, lx);
    while (left >= 0) {
        if (lx->kind == T_AND) {
            if (!next(lx)) return -1;
        } else if (lx->kind != T_WORD && lx->kind != T_PHRASE && lx->kind != T_LP &&
                   lx->kind != T_NOT)
            break;
        int right = parse_unary(p, lx);
        if (right < 0) return -1;
        left = add_node(p, lx, N_AND, left, right);
    }
    return left;
}

static int parse_or(struct parsed *p, struct lexer *lx)
{
    int left = parse_and(p, lx);
    while (left >= 0 && lx->kind == T_OR) {
        if (!next(lx)) return -1;
        int right = parse_and(p, lx);
        if (right < 0) return -1;
        left = add_node(p, lx, N_OR, left, right);
    }
    return left;
}

static void mark_polarity(struct parsed *p, int i, bool positive)
{
    struct node *n = &p->nodes[i];
    if (n->kind == N_LIT) {
        if (positive) p->lits[n->lit].positive = true;
        return;
    }
    if (n->kind == N_NOT) {
        mark_polarity(p, n->a, !positive);
        return;
    }
    mark_polarity(p, n->a, positive);
    mark_polarity(p, n->b, positive);
}

/* The rule's value when none of its literals occurs. */
static bool eval_absent(const struct parsed *p, int i)
{
    const struct node *n = &p->nodes[i];
    switch (n->kind) {
    case N_LIT:
    case N_NEAR:
    case N_ONEAR:
        return false;
    case N_NOT:
        return !eval_absent(p, n->a);
    case N_AND:
        return eval_absent(p, n->a) && eval_absent(p, n->b);
    default:
        return eval_absent(p, n->a) || eval_absent(p, n->b);
    }
}

static bool parse_rule(const char *expr, struct parsed *p, struct om_error *err)
{
    memset(err, 0, sizeof *err);
    p->nn = p->nl = 0;
    p->root = -1;
    size_t len = expr ? strlen(expr) : 0;
    struct lexer lx = {.s = expr ? expr : "", .len = len, .err = err};
    if (len > OM_EXPR_MAX) return fail_at(&lx, OM_EXPR_MAX, "规则过长（最多 4000 字节）");
    if (!next(&lx)) return false;
    if (lx.kind == T_END) return fail_at(&lx, 0, "规则为空");
    int root = parse_or(p, &lx);
    if (root < 0) return false;
    if (lx.kind != T_END)
        return fail_at(&lx, lx.off, lx.kind == T_RP ? "多余的右括号" : "此处应为 AND、OR 或 NOT");
    mark_polarity(p, root, true);
    bool any = false;
    for (size_t i = 0; i < p->nl; i++)
        any |= p->lits[i].positive;
    if (!any) return fail_at(&lx, 0, "规则只有 NOT：至少要有一个必须出现的关键词");
    if (eval_absent(p, root))
        return fail_at(&lx, 0, "规则在没有任何关键词出现时也成立，会命中所有文本");
    p->root = root;
    return true;
}

bool om_check(const char *expr, struct om_error *err)
{
    struct parsed *p = malloc(sizeof *p);
    if (!p) {
        memset(err, 0, sizeof *err);
        snprintf(err->msg, sizeof err->msg, "内存不足");
        return false;
    }
    bool ok = parse_rule(expr, p, err);
    free(p);
    return ok;
}

/* ---- the set ---- */

struct rule {
    struct node *nodes;
    int root;
    unsigned *lits; /* the set's literal of each rule literal */
    bool *positive;
    size_t nl;
};

struct om_set {
    struct rule *rules;
    size_t nrules;
    /* literals */
    char **lit;
    size_t *lit_len, *lit_chars;
    size_t nlit;
    size_t *lit_rule_off; /* CSR: the rules using each literal */
    size_t *lit_rule;
    /* the automaton */
    uint8_t cls[256];
    size_t ncls, nstates;
    uint32_t *delta; /* nstates × ncls */
    int32_t *out;    /* literal ending at the state, -1 */
    uint32_t *dict;  /* next state with output on the failure chain, 0 none */
    uint8_t *has_out;
};

size_t om_rules(const struct om_set *s)
{
    return s->nrules;
}

size_t om_literals(const struct om_set *s)
{
    return s->nlit;
}

size_t om_states(const struct om_set *s)
{
    return s->nstates;
}

const char *om_literal(const struct om_set *s, unsigned i, size_t *len)
{
    if (i >= s->nlit) return NULL;
    if (len) *len = s->lit_len[i];
    return s->lit[i];
}

bool om_rule_uses(const struct om_set *s, size_t rule, unsigned lit)
{
    if (rule >= s->nrules) return false;
    const struct rule *r = &s->rules[rule];
    for (size_t i = 0; i < r->nl; i++)
        if (r->lits[i] == lit && r->positive[i]) return true;
    return false;
}

void om_free(struct om_set *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nrules; i++) {
        free(s->rules[i].nodes);
        free(s->rules[i].lits);
        free(s->rules[i].positive);
    }
    free(s->rules);
    for (size_t i = 0; i < s->nlit; i++)
        free(s->lit[i]);
    free(s->lit);
    free(s->lit_len);
    free(s->lit_chars);
    free(s->lit_rule_off);
    free(s->lit_rule);
    free(s->delta);
    free(s->out);
    free(s->dict);
    free(s->has_out);
    free(s);
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

struct lit_table {
    size_t cap;
    long *slot; /* literal index + 1, 0 empty */
};

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return false;
    *p = q;
    *cap = c;
    return true;
}

/* The set's index of the folded literal (added when new); -1 when memory ran out. */
static long intern(struct om_set *s, struct lit_table *t, size_t *lit_cap, const char *src,
                   size_t n)
{
    char *f = malloc(n + 1);
    if (!f) return -1;
    for (size_t i = 0; i < n; i++)
        f[i] = (char)fold((unsigned char)src[i]);
    f[n] = 0;
    if ((s->nlit + 1) * 2 > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 1024;
        long *ns = calloc(nc, sizeof *ns);
        if (!ns) return free(f), -1;
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i]) {
                size_t k = t->slot[i] - 1, j = hash_bytes(s->lit[k], s->lit_len[k]) & (nc - 1);
                while (ns[j])
                    j = (j + 1) & (nc - 1);
                ns[j] = t->slot[i];
            }
        free(t->slot);
        t->slot = ns;
        t->cap = nc;
    }
    size_t j = hash_bytes(f, n) & (t->cap - 1);
    while (t->slot[j]) {
        size_t k = (size_t)t->slot[j] - 1;
        if (s->lit_len[k] == n && memcmp(s->lit[k], f, n) == 0) return free(f), (long)k;
        j = (j + 1) & (t->cap - 1);
    }
    size_t c1 = *lit_cap, c2 = *lit_cap, c3 = *lit_cap;
    if (!grow((void **)&s->lit, &c1, s->nlit + 1, sizeof *s->lit) ||
        !grow((void **)&s->lit_len, &c2, s->nlit + 1, sizeof *s->lit_len) ||
        !grow((void **)&s->lit_chars, &c3, s->nlit + 1, sizeof *s->lit_chars))
        return free(f), -1;
    *lit_cap = c1;
    s->lit[s->nlit] = f;
    s->lit_len[s->nlit] = n;
    size_t ch = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)f[i] & 0xC0) != 0x80) ch++;
    s->lit_chars[s->nlit] = ch;
    t->slot[j] = (long)++s->nlit;
    return (long)s->nlit - 1;
}

#define OUT_BIT 0x80000000u

static bool build_automaton(struct om_set *s)
{
    bool used[256] = {0};
    size_t total = 1;
    for (size_t i = 0; i < s->nlit; i++) {
        total += s->lit_len[i];
        for (size_t j = 0; j < s->lit_len[i]; j++)
            used[(unsigned char)s->lit[i][j]] = true;
    }
    s->ncls = 1;
    for (int b = 0; b < 256; b++)
        if (used[b]) s->cls[b] = (uint8_t)s->ncls++;
    for (int b = 'A'; b <= 'Z'; b++)
        s->cls[b] = s->cls[b + 32];
    size_t k = s->ncls;
    /* the trie: at most total states */
    s->delta = calloc(total * k, sizeof *s->delta);
    s->out = malloc(total * sizeof *s->out);
    if (!s->delta || !s->out) return false;
    s->nstates = 1;
    s->out[0] = -1;
    for (size_t i = 0; i < s->nlit; i++) {
        uint32_t st = 0;
        for (size_t j = 0; j < s->lit_len[i]; j++) {
            uint8_t c = s->cls[(unsigned char)s->lit[i][j]];
            if (!s->delta[st * k + c]) {
                s->out[s->nstates] = -1;
                s->delta[st * k + c] = (uint32_t)s->nstates++;
            }
            st = s->delta[st * k + c];
        }
        s->out[st] = (int32_t)i;
    }
    size_t n = s->nstates;
    uint32_t *shrunk = realloc(s->delta, n * k * sizeof *s->delta);
    if (shrunk) s->delta = shrunk;
    uint32_t *fail = calloc(n, sizeof *fail), *queue = malloc(n * sizeof *queue);
    s->dict = calloc(n, sizeof *s->dict);
    s->has_out = calloc(n, 1);
    if (!fail || !queue || !s->dict || !s->has_out) {
        free(fail);
        free(queue);
        return false;
    }
    size_t qh = 0, qt = 0;
    for (size_t c = 0; c < k; c++)
        if (s->delta[c]) queue[qt++] = s->delta[c]; /* depth 1: fail to the root */
    while (qh < qt) {
        uint32_t st = queue[qh++], f = fail[st];
        s->dict[st] = s->out[f] >= 0 ? f : s->dict[f];
        s->has_out[st] = s->out[st] >= 0 || s->dict[st];
        for (size_t c = 0; c < k; c++) {
            uint32_t t = s->delta[st * k + c];
            if (t) {
                fail[t] = s->delta[f * k + c];
                queue[qt++] = t;
            } else
                s->delta[st * k + c] = s->delta[f * k + c];
        }
    }
    free(fail);
    free(queue);
    /* premultiply: each entry holds the target's row offset, with the top bit set when the
     * target has output, so the scan needs neither a multiply nor a second load per byte */
    if ((unsigned long long)n * k >= OUT_BIT) return false;
    for (size_t i = 0; i < n * k; i++) {
        uint32_t t = s->delta[i];
        s->delta[i] = (uint32_t)(t * k) | (s->has_out[t] ? OUT_BIT : 0);
    }
    return true;
}

struct om_set *om_build(const struct om_rule_src *rules, size_t n, struct om_error *err,
                        size_t *bad)
{
    memset(err, 0, sizeof *err);
    *bad = n;
    struct om_set *s = calloc(1, sizeof *s);
    struct parsed *p = malloc(sizeof *p);
    struct lit_table t = {0};
    size_t lit_cap = 0;
    if (!s || !p) goto oom;
    s->rules = calloc(n ? n : 1, sizeof *s->rules);
    if (!s->rules) goto oom;
    for (size_t i = 0; i < n; i++) {
        if (!parse_rule(rules[i].expr, p, err)) {
            *bad = i;
            goto fail;
        }
        struct rule *r = &s->rules[i];
        s->nrules = i + 1;
        r->nodes = malloc(p->nn * sizeof *r->nodes);
        r->lits = malloc(p->nl * sizeof *r->lits);
        r->positive = malloc(p->nl * sizeof *r->positive);
        if (!r->nodes || !r->lits || !r->positive) goto oom;
        memcpy(r->nodes, p->nodes, p->nn * sizeof *r->nodes);
        r->root = p->root;
        r->nl = p->nl;
        for (size_t j = 0; j < p->nl; j++) {
            long id = intern(s, &t, &lit_cap, rules[i].expr + p->lits[j].off, p->lits[j].len);
            if (id < 0) goto oom;
            r->lits[j] = (unsigned)id;
            r->positive[j] = p->lits[j].positive;
        }
        for (size_t j = 0; j < p->nn; j++)
            if (r->nodes[j].kind == N_LIT) r->nodes[j].lit = r->lits[r->nodes[j].lit];
    }
    /* literal → rules */
    s->lit_rule_off = calloc(s->nlit + 1, sizeof *s->lit_rule_off);
    if (!s->lit_rule_off) goto oom;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < s->rules[i].nl; j++) {
            bool dup = false;
            for (size_t m = 0; m < j; m++)
                dup |= s->rules[i].lits[m] == s->rules[i].lits[j];
            if (!dup) s->lit_rule_off[s->rules[i].lits[j] + 1]++, total++;
        }
    }
    for (size_t l = 0; l < s->nlit; l++)
        s->lit_rule_off[l + 1] += s->lit_rule_off[l];
    s->lit_rule = malloc((total ? total : 1) * sizeof *s->lit_rule);
    size_t *fill = calloc(s->nlit ? s->nlit : 1, sizeof *fill);
    if (!s->lit_rule || !fill) {
        free(fill);
        goto oom;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < s->rules[i].nl; j++) {
            unsigned l = s->rules[i].lits[j];
            bool dup = false;
            for (size_t m = 0; m < j; m++)
                dup |= s->rules[i].lits[m] == l;
            if (!dup) s->lit_rule[s->lit_rule_off[l] + fill[l]++] = i;
        }
    free(fill);
    if (!build_automaton(s)) goto oom;
    free(t.slot);
    free(p);
    return s;
oom:
    *bad = n;
    snprintf(err->msg, sizeof err->msg, "内存不足");
fail:
    free(t.slot);
    free(p);
    om_free(s);
    return NULL;
}

/* ---- matching ---- */

struct span {
    unsigned start, end;
};

struct om_scratch {
    unsigned gen;
    unsigned *lit_gen; /* lit seen in this pass when == gen */
    size_t *lit_first, *lit_last;
    unsigned *rule_gen;
    size_t *cand;
    size_t ncand;
    struct om_hit *hits;
    size_t *hit_next;
    size_t nhits, hits_cap;
    struct span *spans;
    size_t nspans, spans_cap;
    struct om_hit *out;
    size_t out_cap;
    bool oom;
};

struct om_scratch *om_scratch_new(const struct om_set *s)
{
    struct om_scratch *sc = calloc(1, sizeof *sc);
    if (!sc) return NULL;
    size_t nl = s->nlit ? s->nlit : 1, nr = s->nrules ? s->nrules : 1;
    sc->lit_gen = calloc(nl, sizeof *sc->lit_gen);
    sc->lit_first = calloc(nl, sizeof *sc->lit_first);
    sc->lit_last = calloc(nl, sizeof *sc->lit_last);
    sc->rule_gen = calloc(nr, sizeof *sc->rule_gen);
    sc->cand = calloc(nr, sizeof *sc->cand);
    if (!sc->lit_gen || !sc->lit_first || !sc->lit_last || !sc->rule_gen || !sc->cand) {
        om_scratch_free(sc);
        return NULL;
    }
    return sc;
}

void om_scratch_free(struct om_scratch *sc)
{
    if (!sc) return;
    free(sc->lit_gen);
    free(sc->lit_first);
    free(sc->lit_last);
    free(sc->rule_gen);
    free(sc->cand);
    free(sc->hits);
    free(sc->hit_next);
    free(sc->spans);
    free(sc->out);
    free(sc);
}

static void record(const struct om_set *s, struct om_scratch *sc, unsigned lit, unsigned end)
{
    size_t cap = sc->hits_cap, cap2 = sc->hits_cap;
    if (!grow((void **)&sc->hits, &cap, sc->nhits + 1, sizeof *sc->hits) ||
        !grow((void **)&sc->hit_next, &cap2, sc->nhits + 1, sizeof *sc->hit_next)) {
        sc->oom = true;
        return;
    }
    sc->hits_cap = cap < cap2 ? cap : cap2;
    size_t h = sc->nhits++;
    sc->hits[h] = (struct om_hit){lit, end - (unsigned)s->lit_chars[lit], end};
    sc->hit_next[h] = (size_t)-1;
    if (sc->lit_gen[lit] != sc->gen) {
        sc->lit_gen[lit] = sc->gen;
        sc->lit_first[lit] = h;
        for (size_t i = s->lit_rule_off[lit]; i < s->lit_rule_off[lit + 1]; i++) {
            size_t r = s->lit_rule[i];
            if (sc->rule_gen[r] != sc->gen) {
                sc->rule_gen[r] = sc->gen;
                sc->cand[sc->ncand++] = r;
            }
        }
    } else
        sc->hit_next[sc->lit_last[lit]] = h;
    sc->lit_last[lit] = h;
}

static bool push_span(struct om_scratch *sc, unsigned a, unsigned b)
{
    if (!grow((void **)&sc->spans, &sc->spans_cap, sc->nspans + 1, sizeof *sc->spans)) {
        sc->oom = true;
        return false;
    }
    sc->spans[sc->nspans++] = (struct span){a, b};
    return true;
}

#define SPANS_MAX 4096 /* occurrences a NEAR considers on each side */

/* Appends the spans of positional node i; returns how many. */
static size_t spans(const struct rule *r, struct om_scratch *sc, int i)
{
    const struct node *n = &r->nodes[i];
    size_t base = sc->nspans;
    if (n->kind == N_LIT) {
        if (sc->lit_gen[n->lit] != sc->gen) return 0;
        size_t k = 0;
        for (size_t h = sc->lit_first[n->lit]; h != (size_t)-1 && k < SPANS_MAX;
             h = sc->hit_next[h], k++)
            if (!push_span(sc, sc->hits[h].start, sc->hits[h].end)) break;
        return sc->nspans - base;
    }
    if (n->kind == N_OR) {
        spans(r, sc, n->a);
        spans(r, sc, n->b);
        return sc->nspans - base;
    }
    size_t na = spans(r, sc, n->a);
    if (!na) return sc->nspans = base, 0;
    size_t nb = spans(r, sc, n->b);
    if (!nb) return sc->nspans = base, 0;
    size_t a0 = base, b0 = base + na, out0 = sc->nspans;
    if (na > SPANS_MAX) na = SPANS_MAX;
    if (nb > SPANS_MAX) nb = SPANS_MAX;
    for (size_t x = 0; x < na; x++)
        for (size_t y = 0; y < nb; y++) {
            struct span A = sc->spans[a0 + x], B = sc->spans[b0 + y];
            if (n->kind == N_ONEAR && A.start > B.start) continue;
            unsigned gap = A.end <= B.start   ? B.start - A.end
                           : B.end <= A.start ? A.start - B.end
                                              : 0;
            if (gap > n->n) continue;
            if (sc->nspans - out0 >= SPANS_MAX) break;
            if (!push_span(sc, A.start < B.start ? A.start : B.start,
                           A.end > B.end ? A.end : B.end))
                break;
        }
    size_t m = sc->nspans - out0;
    memmove(sc->spans + base, sc->spans + out0, m * sizeof *sc->spans);
    sc->nspans = base + m;
    return m;
}

static bool eval(const struct rule *r, struct om_scratch *sc, int i)
{
    const struct node *n = &r->nodes[i];
    switch (n->kind) {
    case N_LIT:
        return sc->lit_gen[n->lit] == sc->gen;
    case N_NOT:
        return !eval(r, sc, n->a);
    case N_AND:
        return eval(r, sc, n->a) && eval(r, sc, n->b);
    case N_OR:
        return eval(r, sc, n->a) || eval(r, sc, n->b);
    default: {
        size_t base = sc->nspans;
        size_t k = spans(r, sc, i);
        sc->nspans = base;
        return k > 0;
    }
    }
}

static int cmp_hit(const void *a, const void *b)
{
    const struct om_hit *x = a, *y = b;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return x->start < y->start ? 1 : x->start > y->start ? -1 : 0;
}

size_t om_match(const struct om_set *s, struct om_scratch *sc, const char *text, size_t len,
                om_match_fn fn, void *ctx)
{
    if (++sc->gen == 0) { /* wrapped: forget every stamp */
        memset(sc->lit_gen, 0, (s->nlit ? s->nlit : 1) * sizeof *sc->lit_gen);
        memset(sc->rule_gen, 0, (s->nrules ? s->nrules : 1) * sizeof *sc->rule_gen);
        sc->gen = 1;
    }
    sc->nhits = sc->ncand = 0;
    sc->oom = false;
    if (!s->nlit) return 0;
    const uint32_t *delta = s->delta;
    const uint8_t *cls = s->cls;
    uint32_t k = (uint32_t)s->ncls;
    uint32_t st = 0;
    unsigned ch = 0;
    const unsigned char *t = (const unsigned char *)text;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = t[i];
        ch += (b & 0xC0) != 0x80;
        uint32_t v = delta[st + cls[b]];
        st = v & ~OUT_BIT;
        if (v & OUT_BIT) {
            uint32_t q = st / k;
            for (uint32_t o = s->out[q] >= 0 ? q : s->dict[q]; o; o = s->dict[o])
                record(s, sc, (unsigned)s->out[o], ch);
        }
    }
    size_t matched = 0;
    for (size_t c = 0; c < sc->ncand; c++) {
        const struct rule *r = &s->rules[sc->cand[c]];
        sc->nspans = 0;
        if (!eval(r, sc, r->root)) continue;
        matched++;
        if (!fn) continue;
        size_t m = 0;
        for (size_t j = 0; j < r->nl; j++) {
            unsigned l = r->lits[j];
            bool dup = false;
            for (size_t q = 0; q < j; q++)
                dup |= r->lits[q] == l;
            if (dup || !r->positive[j] || sc->lit_gen[l] != sc->gen) continue;
            for (size_t h = sc->lit_first[l]; h != (size_t)-1; h = sc->hit_next[h]) {
                if (!grow((void **)&sc->out, &sc->out_cap, m + 1, sizeof *sc->out)) break;
                sc->out[m++] = sc->hits[h];
            }
        }
        qsort(sc->out, m, sizeof *sc->out, cmp_hit);
        if (!fn(ctx, sc->cand[c], sc->out, m)) break;
    }
    return matched;
}

bool om_any(const struct om_set *s, const char *text, size_t len)
{
    if (!s->nlit) return false;
    const uint32_t *delta = s->delta;
    const uint8_t *cls = s->cls;
    uint32_t st = 0;
    const unsigned char *t = (const unsigned char *)text;
    for (size_t i = 0; i < len; i++) {
        uint32_t v = delta[st + cls[t[i]]];
        if (v & OUT_BIT) return true;
        st = v;
    }
    return false;
}
