/**
 * @file nat_circuit.c
 * @brief NAT-005 (checklist "Asymmetric routing"): every circuit advertises
 * its own public prefixes; a prefix shared by two circuits is accepted only
 * when it is held by pools that each leave on one circuit, or when the
 * backup circuit's sessions prepend it with a public AS.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natscope.h"
#include "policy_eval.h"
#include "view.h"

/* One prefix as advertised on one circuit (primary and secondary merged). */
struct circ_pfx {
    struct pfx p;
    const char *text, *circuit;
    const struct ru_nb *nb;
    unsigned prepend;                /* prepends Microsoft sees on every session of the circuit (0: none) */
    unsigned raw;                    /* the largest prepend the export policies apply to the prefix */
    const char *why;                 /* why a configured prepend does not count, NULL when it does */
    int bad;
    int by_pools;                    /* overlaps another circuit only where NAT pools return on their own */
    struct circ_pfx *next;           /* other circuits with the same prefix */
};

/* One circuit with advertised prefixes: where it was first met, and what its prefixes came to. */
struct n5_circ {
    const char *name;
    size_t ord;                      /* first Microsoft session of the circuit, in the picture's order */
    size_t cnt, bad, by_pools;
    const struct ru_nb *first;       /* the session of its first prefix */
};

static int
n5_circ_by_name(const void *pa, const void *pb)
{
    const struct n5_circ *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);

    return c ? c : (a->ord > b->ord) - (a->ord < b->ord);
}

static int
n5_circ_by_ord(const void *pa, const void *pb)
{
    const struct n5_circ *a = pa, *b = pb;

    return (a->ord > b->ord) - (a->ord < b->ord);
}

/*
 * The circuits of the sessions with an advertised list, once each, sorted by
 * name for lookups (n log n: a network has thousands). @return the count.
 */
static size_t
n5_circuits(const struct ru_net *n, struct n5_circ *out)
{
    size_t i, k = 0, u = 0;

    for (i = 0; i < n->n_ms; i++) {
        if (n->ms[i].circuit && ru_has_adv_list(n->ms[i].nb))
            out[k++] = (struct n5_circ){.name = n->ms[i].circuit, .ord = i};
    }
    if (!k)
        return 0;
    qsort(out, k, sizeof *out, n5_circ_by_name);
    for (i = 0; i < k; i++) {
        if (!u || strcmp(out[u - 1].name, out[i].name))
            out[u++] = out[i];
    }
    return u;
}

static struct n5_circ *
n5_circ_find(struct n5_circ *v, size_t n, const char *name)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].name, name);

        if (!c)
            return &v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/*
 * The AS-path prepend the export policies of session @p x apply to prefix @p p
 * (the terms that match it, as the policy evaluator runs them), in @p raw; the
 * return value is what Microsoft sees of it: 0 when the route is not
 * exported, the evaluation is uncertain, or the prepended AS is private
 * (Microsoft strips private AS numbers). @p why says why a prepend does not count.
 */
static unsigned
n5_prepend(const struct ru_nb *x, const struct pfx *p, unsigned *raw, const char **why)
{
    struct pe_route r = {.prefix = *p, .prefix_known = 1, .comm_known = 1, .as_path = ""};
    struct pe_result res;
    uint64_t las;

    *raw = 0;
    *why = NULL;
    pe_eval(x->dev, x->nb, 0, &r, &res);
    if (!res.accepted || !res.prepend)
        return 0;
    *raw = res.prepend;
    if (res.uncertain) {
        *why = res.why_uncertain;
        return 0;
    }
    if (!model_u64(ru_dev_part(x->dev, "bgp"), "local-as", &las)) {
        *why = "the local AS is not known, so the prepend cannot be judged";
        return 0;
    }
    if ((las >= 64512 && las <= 65534) || (las >= 4200000000ULL && las <= 4294967294ULL)) {
        *why = "the prepended AS is private, which Microsoft strips";
        return 0;
    }
    return res.prepend;
}

/* A NAT pool translated only on the links of one circuit. */
struct n5_pool {
    struct pfx p;
    const char *circuit, *dev, *name;
    int owned;                       /* and advertised most specifically on that circuit alone */
};

struct n5 {
    struct rule_ctx *rc;
    struct circ_pfx *e;
    const struct n5_pool *pools;
    size_t n_pools;
};

/* ptrie_overlaps callback: is the pool's most specific covering advertisement its own circuit's alone? */
struct own_walk {
    const struct n5_pool *pool;
    const struct circ_pfx *best;     /* chain of the longest prefix covering the pool */
    int other_inside;                /* another circuit advertises something inside the pool */
};

static int
own_cb(const struct pfx *found, void *value, void *arg)
{
    struct own_walk *w = arg;
    const struct circ_pfx *f;

    if (found->len > w->pool->p.len) {
        for (f = value; f; f = f->next)
            w->other_inside |= strcmp(f->circuit, w->pool->circuit) != 0;
    } else if (!w->best || found->len >= w->best->p.len) {
        w->best = value;
    }
    return 0;
}

static int
pool_owned(const struct ptrie *t, const struct n5_pool *pool)
{
    struct own_walk w = {.pool = pool};
    const struct circ_pfx *f, *mine = NULL;

    ptrie_overlaps(t, &pool->p, own_cb, &w);
    if (w.other_inside || !w.best)
        return 0;
    for (f = w.best; f; f = f->next) {
        if (!strcmp(f->circuit, pool->circuit))
            mine = f;
    }
    if (!mine)
        return 0;
    /* Another circuit with the same prefix only as a prepended backup still leaves the pool to its own. */
    for (f = w.best; f; f = f->next) {
        if (f != mine && f->prepend <= mine->prepend)
            return 0;
    }
    return 1;
}

/* 1 when every address of @p r is in an owned pool. */
static int
owned_cover(const struct n5_pool *v, size_t n, const struct pfx *r)
{
    struct pfx lo, hi;
    size_t i;
    int inside = 0;

    for (i = 0; i < n; i++) {
        if (!v[i].owned)
            continue;
        if (pfx_contains(&v[i].p, r))
            return 1;
        inside |= pfx_contains(r, &v[i].p);
    }
    if (!inside || r->len >= (r->family == 4 ? 32 : 128))
        return 0;
    lo = *r;
    lo.len++;
    hi = lo;
    hi.addr[r->len / 8] |= (uint8_t)(0x80u >> (r->len % 8));
    return owned_cover(v, n, &lo) && owned_cover(v, n, &hi);
}

/* The owned pools inside @p r, as evidence. */
static void
owned_list(const struct n5_pool *v, size_t n, const struct pfx *r, char *buf, size_t size)
{
    char pb[PFX_STRLEN];
    size_t i, off = 0;

    buf[0] = '\0';
    for (i = 0; i < n && off < size; i++) {
        int k;

        if (!v[i].owned || !pfx_overlaps(&v[i].p, r))
            continue;
        k = snprintf(buf + off, size - off, "%spool %s %s on %s (circuit %s)", off ? ", " : "", v[i].name,
                pfx_format(&v[i].p, pb), v[i].dev, v[i].circuit);
        off = k < 0 ? size : off + (size_t)k;
    }
}

static int
n5_cb(const struct pfx *found, void *value, void *arg)
{
    struct n5 *a = arg;
    struct circ_pfx *f, *e = a->e;
    const struct pfx *r;
    char seen[1024];
    struct evidence ev = {.seen = seen, .source = SRC_STATE};

    for (f = value; f; f = f->next) {
        /* Each pair once: ordered by circuit name. */
        if (strcmp(e->circuit, f->circuit) >= 0)
            continue;
        ev.path = model_path(e->nb->nb);
        if (pfx_equal(&e->p, found) && (e->prepend || f->prepend)) {
            snprintf(seen, sizeof seen, "%s on circuits %s (%s) and %s (%s), AS-path prepend %u / %u", e->text,
                    e->circuit, e->nb->dev_name, f->circuit, f->nb->dev_name, e->prepend, f->prepend);
            ev.expected = "unique prefixes per circuit, or the same prefix with prepending as failover";
            rule_report(a->rc, ST_PASS, SEV_INFO, e->nb->dev_name, e->circuit, &ev,
                    "%s: %s is advertised on circuits %s and %s with AS-path prepending: accepted failover design",
                    e->nb->dev_name, e->text, e->circuit, f->circuit);
            continue;
        }
        /* Where the overlap holds only pools that each return on their own circuit, replies cannot cross. */
        r = e->p.len >= found->len ? &e->p : found;
        if (a->n_pools && owned_cover(a->pools, a->n_pools, r)) {
            char own[512];

            owned_list(a->pools, a->n_pools, r, own, sizeof own);
            snprintf(seen, sizeof seen, "%s on circuit %s (%s) overlaps %s on circuit %s (%s); the overlap holds "
                    "only NAT pools translated on their own circuit's links and advertised most specifically there: "
                    "%s", e->text, e->circuit, e->nb->dev_name, f->text, f->circuit, f->nb->dev_name, own);
            ev.expected = "unique public prefixes per circuit for the traffic each circuit carries";
            e->by_pools = f->by_pools = 1;
            rule_report(a->rc, ST_PASS, SEV_INFO, e->nb->dev_name, e->circuit, &ev,
                    "%s: %s on circuit %s overlaps %s on circuit %s only where each circuit's NAT pools are "
                    "advertised more specifically on their own circuit: accepted", e->nb->dev_name, e->text,
                    e->circuit, f->text, f->circuit);
            continue;
        }
        e->bad = f->bad = 1;
        snprintf(seen, sizeof seen, "%s on circuit %s (%s) overlaps %s on circuit %s (%s), no AS-path prepend", e->text,
                e->circuit, e->nb->dev_name, f->text, f->circuit, f->nb->dev_name);
        /* Say why a prepend the policies configure is not taken as failover. */
        if (pfx_equal(&e->p, found) && (e->raw || f->raw)) {
            const struct circ_pfx *q = e->raw ? e : f;
            size_t len = strlen(seen);

            snprintf(seen + len, sizeof seen - len, " that counts: the prepend of %u on circuit %s (%s) does not "
                    "count (%s)", q->raw, q->circuit, q->nb->dev_name,
                    q->why ? q->why : "not on every session of the circuit");
        }
        ev.expected = "distinct public prefixes per circuit";
        rule_fail(a->rc, e->nb->dev_name, e->circuit, &ev, "%s: %s advertised on circuit %s overlaps %s on circuit %s",
                e->nb->dev_name, e->text, e->circuit, f->text, f->circuit);
    }
    return 0;
}

/* The ER edges' NAT pools translated only on one circuit's links, each marked owned or not. */
static int
n5_pools(struct rule_ctx *rc, const struct ru_net *n, const struct ptrie *t, struct n5_pool **out, size_t *count)
{
    struct ru_pool *v = NULL;
    size_t np = 0, i;

    *out = NULL;
    *count = 0;
    if (ru_nat_pools(rc, "er-edge", &v, &np))
        return -1;
    if (np && !(*out = calloc(np, sizeof **out))) {
        free(v);
        if (!rc->rc)
            rc->rc = ER_ENOMEM;
        return -1;
    }
    for (i = 0; i < np; i++) {
        struct ru_nat_scope sc;
        struct n5_pool *x = &(*out)[*count];
        size_t same;

        /* A device's pools with one prefix count once, over their joint scope. */
        if (!ru_nat_scope_group(n, v, np, i, &sc, &same) || sc.kind != RU_SCOPE_ER || !sc.circuit)
            continue;
        *x = (struct n5_pool){.p = v[i].p, .circuit = sc.circuit, .dev = ru_name(v[i].dev),
            .name = model_str(v[i].pool, "name")};
        x->owned = pool_owned(t, x);
        (*count)++;
    }
    free(v);
    return 0;
}

/* NAT-005: every circuit advertises its own prefixes. */
void
nat005_check(struct rule_ctx *rc)
{
    struct circ_pfx *v = NULL, *cur;
    struct ptrie *t = NULL;
    struct ru_net n;
    struct n5_circ *circs = NULL, *c;
    struct n5_pool *pools = NULL;
    size_t total = 0, k = 0, i, j, nc = 0, n_pools = 0;

    ru_skip_failed(rc, "er-edge");
    if (ru_net_build(rc, &n))
        return;
    for (i = 0; i < n.n_ms; i++) {
        long c = ru_adv_count(n.ms[i].nb);

        if (n.ms[i].circuit && ru_has_adv_list(n.ms[i].nb))
            total += (size_t)c;
    }
    if (!(t = ptrie_new()) || (total && !(v = calloc(total, sizeof *v))) ||
            !(circs = calloc(n.n_ms ? n.n_ms : 1, sizeof *circs)))
        goto oom;
    nc = n5_circuits(&n, circs);
    for (i = 0; i < n.n_ms; i++) {
        const struct ru_nb *x = &n.ms[i];
        unsigned prep;
        struct lyd_node *ap;

        if (!x->circuit || !ru_has_adv_list(x->nb))
            continue;
        MODEL_FOR(x->nb, "advertised-prefix", ap) {
            struct pfx p;
            unsigned raw;
            const char *why;
            int found;

            if (ru_pfx(model_value(ap), &p))
                continue;
            /* The prepend of this prefix on this session; a circuit's copy is prepended only if every session's is. */
            prep = n5_prepend(x, &p, &raw, &why);
            for (cur = ptrie_get(t, &p, &found); cur && strcmp(cur->circuit, x->circuit); cur = cur->next)
                ;
            if (cur) {
                if (prep < cur->prepend)
                    cur->prepend = prep;
                if (raw > cur->raw)
                    cur->raw = raw;
                if (why && !cur->why)
                    cur->why = why;
                continue;
            }
            cur = &v[k++];
            *cur = (struct circ_pfx){.p = p, .text = model_value(ap), .circuit = x->circuit, .nb = x, .prepend = prep,
                .raw = raw, .why = why, .next = ptrie_get(t, &p, &found)};
            if (ptrie_insert(t, &p, cur))
                goto oom;
        }
    }
    if (nc < 2) {
        rule_skip(rc, NULL, NULL, "advertised prefixes known for %zu circuit%s: nothing to compare", nc,
                nc == 1 ? "" : "s");
        goto cleanup;
    }
    if (n5_pools(rc, &n, t, &pools, &n_pools))
        goto cleanup;
    for (i = 0; i < k; i++) {
        struct n5 a = {.rc = rc, .e = &v[i], .pools = pools, .n_pools = n_pools};

        ptrie_overlaps(t, &v[i].p, n5_cb, &a);
    }
    /* Each circuit's tally in one pass over the prefixes, then the circuits in the order they were met. */
    for (i = 0; i < k; i++) {
        if (!(c = n5_circ_find(circs, nc, v[i].circuit)))
            continue;
        c->cnt++;
        c->bad += v[i].bad;
        c->by_pools += v[i].by_pools;
        if (!c->first)
            c->first = v[i].nb;
    }
    qsort(circs, nc, sizeof *circs, n5_circ_by_ord);
    for (j = 0; j < nc; j++) {
        char seen[256];
        struct evidence ev = {.seen = seen, .expected = "distinct public prefixes per circuit", .source = SRC_STATE};

        c = &circs[j];
        if (c->bad || !c->first)
            continue;
        snprintf(seen, sizeof seen, "circuit %s: %zu prefix%s, %s another circuit's%s", c->name, c->cnt,
                c->cnt == 1 ? "" : "es", c->cnt == 1 ? "not overlapping" : "none overlapping",
                c->by_pools ? " except where only NAT pools returning on their own circuit overlap" : "");
        ev.path = model_path(c->first->nb);
        rule_pass(rc, c->first->dev_name, c->name, &ev, "circuit %s advertises prefixes of its own", c->name);
    }
    goto cleanup;
oom:
    if (!rc->rc)
        rc->rc = ER_ENOMEM;
cleanup:
    free(circs);
    free(pools);
    ptrie_free(t);
    free(v);
    ru_net_free(&n);
}

const char *const nat005_paths[] = {RU_NB "/advertised-prefix", RU_NB "/export-policy",
    RU_DEV "/nat/pool/prefix", RU_DEV "/nat/pool/interface", RU_DEV "/nat/rule/pool", RU_DEV "/nat/rule/egress-interface",
    RU_DEV "/policy/term/set-prepend-count", RU_DEV "/bgp/local-as", RU_CIRC "/primary/neighbor",
    RU_CIRC "/secondary/neighbor", NULL};
