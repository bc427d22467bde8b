/**
 * @file asym_circuit.c
 * @brief Asymmetric routing across circuits (checklist "Asymmetric
 * routing"): ASYM-002, a source prefix's traffic leaves on the circuit that
 * advertises it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natscope.h"
#include "view.h"

#define ASYM_MAX_DETAIL 5

static struct lyd_node *
device_with_addr(const struct ptrie *idx, const struct pfx *a)
{
    int found = 0;
    void *v = ptrie_get(idx, a, &found);

    return found ? v : NULL;
}

struct egress_walk {
    const struct ru_net *n;
    const struct ptrie *addrs;       /* interface address -> device */
    const char *const *adv;          /* the circuits that advertise the source prefix */
    size_t n_adv;
    const char *circuit;             /* first egress circuit seen */
    const char *via;                 /* the path's source */
    const char *bad, *bad_via;       /* first egress circuit that does not advertise the prefix, its path's source */
    size_t routes, unknown;
};

/* The circuit every best path toward Microsoft leaves on: all of them are judged, not only the first. */
static void
egress_route(const struct ru_route *r, void *arg)
{
    struct egress_walk *w = arg;
    const char *src, *circ;
    struct pfx a;
    void *v;
    size_t j;
    int found = 0, ok = 0;

    if (!r->best || r->best_via != RU_VIA_ER)
        return;
    w->routes++;
    src = model_str(r->best, "source");
    if (ru_pfx(src, &a)) {
        w->unknown++;
        return;
    }
    v = ptrie_get(w->n->ms_addr, &a, &found);
    if (found) {
        circ = w->n->ms[(uintptr_t)v - 1].circuit;
    } else {
        /* Learned over iBGP: it leaves on the circuit of the router that announced it. */
        struct lyd_node *dev = device_with_addr(w->addrs, &a);
        const char *nh = model_str(r->best, "next-hop");

        if (!dev && nh && !ru_pfx(nh, &a))
            dev = device_with_addr(w->addrs, &a);
        circ = dev ? ru_net_circuit_of(w->n, ru_name(dev), NULL) : NULL;
    }
    if (!circ) {
        w->unknown++;
        return;
    }
    if (!w->circuit) {
        w->circuit = circ;
        w->via = src;
    }
    for (j = 0; j < w->n_adv; j++)
        ok |= !strcmp(w->adv[j], circ);
    if (!ok && !w->bad) {
        w->bad = circ;
        w->bad_via = src;
    }
}

/* Circuits on which each advertised prefix is announced: a chain per prefix. */
struct circ_ent {
    const char *circuit;
    size_t next;                     /* index + 1 of the next entry of the prefix, 0 at the end */
};

struct circ_vec {
    struct circ_ent *v;
    size_t n, cap;
};

/* Index the prefixes advertised to Microsoft by prefix: value = index + 1 of the chain's head. */
static int
circuit_index(const struct ru_net *n, struct ptrie **t, struct circ_vec *cv)
{
    struct lyd_node *ap;
    struct pfx x;
    size_t j;

    if (!(*t = ptrie_new()))
        return -1;
    for (j = 0; j < n->n_ms; j++) {
        if (!n->ms[j].circuit)
            continue;
        MODEL_FOR(n->ms[j].nb, "advertised-prefix", ap) {
            if (ru_pfx(model_value(ap), &x))
                continue;
            if (cv->n == cv->cap) {
                size_t cap = cv->cap ? cv->cap * 2 : 256;
                struct circ_ent *v = realloc(cv->v, cap * sizeof *v);

                if (!v)
                    return -1;
                cv->v = v;
                cv->cap = cap;
            }
            cv->v[cv->n] = (struct circ_ent){.circuit = n->ms[j].circuit,
                .next = (size_t)(uintptr_t)ptrie_get(*t, &x, NULL)};
            cv->n++;
            if (ptrie_insert(*t, &x, (void *)(uintptr_t)cv->n))
                return -1;
        }
    }
    return 0;
}

struct on_walk {
    const struct circ_vec *cv;
    const struct pfx *pool;
    size_t hits[64], n;              /* entries (index + 1) whose prefix covers the pool */
};

/* ptrie_overlaps callback: keep the entries of an advertised prefix that covers the pool. */
static int
on_circuit(const struct pfx *found, void *value, void *arg)
{
    struct on_walk *w = arg;
    size_t e;

    if (!pfx_contains(found, w->pool))
        return 0;
    for (e = (size_t)(uintptr_t)value; e && w->n < sizeof w->hits / sizeof *w->hits; e = w->cv->v[e - 1].next)
        w->hits[w->n++] = e;
    return 0;
}

static int
size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

/* The circuits advertising @p pool or a prefix covering it, in the order they were advertised. */
static size_t
circuits_of(const struct ptrie *circ, const struct circ_vec *cv, const struct pfx *pool, const char **adv_on,
        size_t max, char *list, size_t size)
{
    struct on_walk w = {.cv = cv, .pool = pool};
    size_t i, k, na = 0, off = 0;

    ptrie_overlaps(circ, pool, on_circuit, &w);
    qsort(w.hits, w.n, sizeof *w.hits, size_cmp);
    for (i = 0; i < w.n; i++) {
        const char *c = cv->v[w.hits[i] - 1].circuit;

        for (k = 0; k < na && strcmp(adv_on[k], c); k++)
            ;
        if (k == na && na < max) {
            adv_on[na++] = c;
            off += (size_t)snprintf(list + off, off < size ? size - off : 0, "%s%s", off ? ", " : "", c);
        }
    }
    return na;
}

/*
 * A pool translated only on egress toward Microsoft leaves on the circuits
 * of those links, whatever the routing table prefers: -1 when a link's
 * circuit is not known, 1 when one of them does not advertise the pool
 * (@p bad set to it), else 0.
 */
static int
scope_check(const struct ru_nat_scope *sc, const char **adv_on, size_t na, const char **bad)
{
    size_t i, j;

    *bad = NULL;
    for (i = 0; i < sc->n_use; i++) {
        int on = 0;

        if (!sc->use[i].circuit)
            return -1;
        for (j = 0; j < na; j++)
            on |= !strcmp(adv_on[j], sc->use[i].circuit);
        if (!on && !*bad)
            *bad = sc->use[i].circuit;
    }
    return *bad != NULL;
}

/* Report the verdict of scope_check() on pool @p p (advertised on @p list). */
static void
scope_report(struct rule_ctx *rc, const struct ru_pool *p, const struct ru_nat_scope *sc, const char *bad,
        const char *list, const char *pbuf)
{
    char seen[1024], exp[256], scope[640];
    struct evidence ev = {.path = model_path(p->pool), .seen = seen, .expected = exp, .source = SRC_CONFIG};
    const char *dn = ru_name(p->dev);

    snprintf(seen, sizeof seen, "%s (NAT pool on %s) advertised on %s; %s", pbuf, dn, list,
            ru_nat_scope_text(sc, scope, sizeof scope));
    snprintf(exp, sizeof exp, "traffic translated into %s leaves on %s", pbuf, list);
    if (bad)
        rule_fail(rc, dn, bad, &ev, "%s: traffic translated into %s leaves on circuit %s but replies come back on %s, "
                "which advertises it (NAT egress)", dn, pbuf, bad, list);
    else if (sc->circuit)
        rule_pass(rc, dn, sc->circuit, &ev, "%s: %s is translated only on egress to circuit %s, which advertises it",
                dn, pbuf, sc->circuit);
    else
        rule_pass(rc, dn, p->circuit, &ev, "%s: %s is translated only on egress to circuits that advertise it (%s)",
                dn, pbuf, list);
}

/* ASYM-002: with several circuits, a source prefix's traffic leaves on the circuit that advertises it. */
void
asym002_check(struct rule_ctx *rc)
{
    struct ru_net n;
    struct ru_pool *pools = NULL;
    struct ptrie *adv = NULL, *circ = NULL;
    struct circ_vec cv = {0};
    struct lyd_node *c;
    size_t np = 0, i, with_list, circuits = 0;

    MODEL_FOR(rc->m->net, "circuit", c)
        circuits++;
    if (circuits < 2) {
        rule_skip(rc, NULL, NULL, "%zu circuit in the inventory: traffic cannot leave on another circuit", circuits);
        return;
    }
    ru_skip_failed(rc, "er-edge");
    if (ru_net_build(rc, &n) || ru_net_svc(&n) || ru_nat_pools(rc, "er-edge", &pools, &np) ||
            ru_adv_trie(rc, n.ms, n.n_ms, &adv, &with_list))
        goto cleanup;
    /* Interface addresses to their devices: the BGP picture's index (iBGP paths use it too). */
    if (circuit_index(&n, &circ, &cv)) {
        rc->rc = ER_ENOMEM;
        goto cleanup;
    }
    for (i = 0; i < np; i++) {
        const struct ru_pool *p = &pools[i];
        const char *adv_on[8];
        struct egress_walk w = {.n = &n, .addrs = n.dev_addr, .adv = adv_on};
        char seen[1024], exp[256], pbuf[PFX_STRLEN], list[256] = "", scope[640];
        struct ru_nat_scope sc;
        const char *bad = NULL;
        struct evidence ev = {.path = model_path(p->pool), .seen = seen, .expected = exp, .source = SRC_STATE};
        size_t na = 0, unc, same;
        struct pfx first;
        int match = 0, sv = -1;

        /* A device's pools with one prefix (one per link or NAT rule) are one public prefix: judged once. */
        if (!ru_nat_scope_group(&n, pools, np, i, &sc, &same))
            continue;
        pfx_format(&p->p, pbuf);
        /* Circuits that advertise the pool, or a prefix that covers it. */
        na = circuits_of(circ, &cv, &p->p, adv_on, sizeof adv_on / sizeof *adv_on, list, sizeof list);
        if (!na)
            continue;
        w.n_adv = na;
        if (sc.kind == RU_SCOPE_INET) {
            rule_skip(rc, ru_name(p->dev), p->circuit, "%s: %s is %s: its traffic never leaves on a circuit (ASYM-001 "
                    "judges it)", ru_name(p->dev), pbuf, ru_nat_scope_text(&sc, scope, sizeof scope));
            continue;
        }
        if (sc.kind == RU_SCOPE_ER && (sv = scope_check(&sc, adv_on, na, &bad)) == 1) {
            scope_report(rc, p, &sc, bad, list, pbuf);
            continue;
        }
        /* Where the routing table cannot tell, or disagrees, the NAT egress decides. */
        if (!ru_rib(p->dev)) {
            if (sv == 0) {
                scope_report(rc, p, &sc, NULL, list, pbuf);
                continue;
            }
            rule_skip(rc, ru_name(p->dev), p->circuit, "%s: no routing table collected to see where traffic from %s "
                    "leaves", ru_name(p->dev), pbuf);
            continue;
        }
        if (ru_ms_routes(&n, p->dev, egress_route, &w, &unc, &first) < 0) {
            rc->rc = ER_ENOMEM;
            goto cleanup;
        }
        if (!w.circuit) {
            if (sv == 0) {
                scope_report(rc, p, &sc, NULL, list, pbuf);
                continue;
            }
            rule_skip(rc, ru_name(p->dev), p->circuit, "%s: the circuit traffic from %s leaves on is not known (no "
                    "ExpressRoute best path toward a Microsoft prefix)", ru_name(p->dev), pbuf);
            continue;
        }
        /* Any route toward Microsoft that leaves on a circuit not advertising the prefix is the verdict. */
        match = !w.bad;
        if (w.bad) {
            w.circuit = w.bad;
            w.via = w.bad_via;
        }
        if (!match && sv == 0) {
            scope_report(rc, p, &sc, NULL, list, pbuf);
            continue;
        }
        snprintf(seen, sizeof seen, "%s (NAT pool on %s) advertised on %s; traffic leaves on %s (best path via %s)",
                pbuf, ru_name(p->dev), list, w.circuit, w.via);
        /* A pool without scope was judged as if it translated all traffic: say so. */
        if (!match || sc.kind == RU_SCOPE_NONE || sc.kind == RU_SCOPE_ANY) {
            size_t len = strlen(seen);

            snprintf(seen + len, sizeof seen - len, "; %s", ru_nat_scope_text(&sc, scope, sizeof scope));
        }
        snprintf(exp, sizeof exp, "traffic from %s leaves on %s", pbuf, list);
        if (match)
            rule_pass(rc, ru_name(p->dev), w.circuit, &ev, "%s: traffic from %s leaves on circuit %s, which advertises "
                    "it (routing table)", ru_name(p->dev), pbuf, w.circuit);
        else
            rule_fail(rc, ru_name(p->dev), w.circuit, &ev, "%s: traffic from %s leaves on circuit %s but replies come "
                    "back on %s, which advertises it (routing table)", ru_name(p->dev), pbuf, w.circuit, list);
    }
    if (!with_list)
        rule_skip(rc, NULL, NULL, "no prefixes advertised to Microsoft were collected");
cleanup:
    free(pools);
    free(cv.v);
    ptrie_free(adv);
    ptrie_free(circ);
    ru_net_free(&n);
}

const char *const asym002_paths[] = {RU_CIRC "/name", RU_NB "/advertised-prefix", RU_DEV "/nat/pool/prefix",
    RU_DEV "/nat/pool/interface", RU_DEV "/nat/rule/pool", RU_DEV "/nat/rule/egress-interface",
    RU_DEV "/rib/route/path/source", RU_DEV "/rib/route/path/next-hop", NULL};
