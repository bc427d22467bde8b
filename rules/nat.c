/**
 * @file nat.c
 * @brief NAT and prefix-separation rules (checklist "Asymmetric routing"):
 * pools translate to public addresses (NAT-001) distinct from the
 * Internet's (NAT-002), are not advertised to the Internet (NAT-003), and
 * what goes to Microsoft does not also go to the Internet (NAT-004). Each
 * circuit's own prefixes (NAT-005) are in nat_circuit.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natscope.h"
#include "view.h"

#define NAT_MAX_IFS 32

/* Interfaces of an ER edge that face Microsoft: by neighbor subnet or by zone. */
static size_t
facing_ifaces(const struct ru_net *n, const struct lyd_node *dev, const char **out, size_t max)
{
    struct lyd_node *ifc;
    const struct ru_nb *ms;
    size_t i, j, k = 0, n_ms = ru_net_dev(n, dev, 1, &ms);

    for (i = 0; i < n_ms; i++) {
        struct lyd_node *f;

        if (!(f = ru_iface_for(n->rc, dev, &ms[i].a, NULL)))
            continue;
        for (j = 0; j < k && strcmp(out[j], model_str(f, "name")); j++)
            ;
        if (j == k && k < max)
            out[k++] = model_str(f, "name");
    }
    MODEL_FOR(dev, "interface", ifc) {
        const char *name = model_str(ifc, "name");

        if (!ru_iface_faces(dev, ifc, "expressroute"))
            continue;
        for (j = 0; j < k && strcmp(out[j], name); j++)
            ;
        if (j == k && k < max)
            out[k++] = name;
    }
    return k;
}

static int
in_list(const char *s, const char **v, size_t n)
{
    size_t i;

    for (i = 0; s && i < n; i++) {
        if (!strcmp(s, v[i]))
            return 1;
    }
    return 0;
}

/* Judge the translated prefixes of one pool or rule; returns 1 when one is private. */
static int
judge_targets(struct rule_ctx *rc, const struct lyd_node *dev, const struct lyd_node *src, const char *leaf,
        const char *what, const char *ifname, int *good)
{
    struct lyd_node *p;
    char seen[256], exp[128];
    int bad = 0;

    MODEL_FOR(src, leaf, p) {
        struct pfx x;
        struct evidence ev = {.seen = seen, .expected = exp, .source = SRC_CONFIG};

        if (ru_pfx(model_value(p), &x))
            continue;
        snprintf(seen, sizeof seen, "%s translates to %s on %s", what, model_value(p), ifname);
        snprintf(exp, sizeof exp, "public addresses on %s", ifname);
        ev.path = model_path(src);
        if (pfx_is_private(&x)) {
            bad = 1;
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: %s toward Microsoft translates to private %s",
                    ru_name(dev), what, model_value(p));
        } else if (!*good) {
            *good = 1;
            rule_pass(rc, ru_name(dev), NULL, &ev, "%s: %s translates traffic toward Microsoft to %s",
                    ru_name(dev), what, model_value(p));
        }
    }
    return bad;
}

/* NAT-001: traffic leaving toward Microsoft is source-NATed to public addresses. */
void
nat001_check(struct rule_ctx *rc)
{
    struct lyd_node *dev;
    struct ru_net n;
    int any = 0;

    if (ru_net_build(rc, &n))
        return;
    MODEL_FOR(rc->m->net, "device", dev) {
        const char *ifs[NAT_MAX_IFS];
        struct lyd_node *nat, *pool, *r;
        size_t k;
        int good = 0, bad = 0, used = 0;
        char seen[256], exp[128];
        struct evidence ev = {.seen = seen, .expected = exp, .source = SRC_CONFIG};

        if (!ru_is_role(dev, "er-edge"))
            continue;
        any = 1;
        if (ru_failed(rc, dev))
            continue;
        if (!ru_has_config(dev)) {
            rule_skip(rc, ru_name(dev), NULL, "%s: no configuration collected (NAT needs NETCONF)", ru_name(dev));
            continue;
        }
        if (!(k = facing_ifaces(&n, dev, ifs, NAT_MAX_IFS))) {
            rule_skip(rc, ru_name(dev), NULL,
                    "%s: no interface holds a Microsoft neighbor's subnet or sits in an expressroute zone",
                    ru_name(dev));
            continue;
        }
        snprintf(exp, sizeof exp, "source NAT to public addresses on %s%s", ifs[0], k > 1 ? " (and the others)" : "");
        nat = ru_dev_part(dev, "nat");
        MODEL_FOR(nat, "pool", pool) {
            if (!in_list(model_str(pool, "interface"), ifs, k))
                continue;
            used = 1;
            snprintf(seen, sizeof seen, "pool %s", model_str(pool, "name"));
            bad |= judge_targets(rc, dev, pool, "prefix", seen, model_str(pool, "interface"), &good);
        }
        MODEL_FOR(nat, "rule", r) {
            const char *type = model_str(r, "type"), *eg = model_str(r, "egress-interface");
            struct lyd_node *rp;
            char what[160];

            if ((type && strcmp(type, "source")) || !in_list(eg, ifs, k))
                continue;
            used = 1;
            snprintf(what, sizeof what, "NAT rule %s", model_str(r, "id"));
            bad |= judge_targets(rc, dev, r, "translated-prefix", what, eg, &good);
            if ((rp = model_find(nat, "pool", model_str(r, "pool")))) {
                snprintf(what, sizeof what, "NAT rule %s (pool %s)", model_str(r, "id"), model_str(rp, "name"));
                bad |= judge_targets(rc, dev, rp, "prefix", what, eg, &good);
            }
        }
        if (good || bad)
            continue;
        snprintf(seen, sizeof seen, "%s on %s", nat ? (used ? "NAT without a translated prefix" :
                "no source NAT rule or pool") : "no NAT configured", ifs[0]);
        ev.path = model_path(nat ? nat : dev);
        rule_fail(rc, ru_name(dev), NULL, &ev, "%s: traffic leaving toward Microsoft on %s is not source-NATed",
                ru_name(dev), ifs[0]);
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no device with role er-edge in the inventory");
    ru_net_free(&n);
}

#define NAT_ALL_ROLES "er-edge,internet-edge,firewall,wan,proxy"

/* Which way a NAT pool translates, for NAT-002. */
struct n2_pool {
    int er;                          /* toward Microsoft */
    int inet;                        /* toward the Internet */
    const char *circuit;             /* toward Microsoft: the circuit of its links, NULL if unknown or several */
};

/*
 * Classify one pool: an ExpressRoute edge's pool translates toward Microsoft
 * unless it is used only toward the Internet (a combined edge), an Internet
 * edge's pool toward the Internet unless it is used only toward Microsoft;
 * any other device's pool (a firewall's) by where it is used.
 */
static void
n2_classify(const struct ru_net *n, const struct ru_pool *v, struct n2_pool *out)
{
    struct ru_nat_scope sc;

    ru_pool_scope(n, v, &sc);
    memset(out, 0, sizeof *out);
    if (ru_is_role(v->dev, "er-edge")) {
        out->er = sc.kind != RU_SCOPE_INET;
        out->inet = sc.kind == RU_SCOPE_INET;
    } else if (ru_is_role(v->dev, "internet-edge")) {
        out->inet = sc.kind != RU_SCOPE_ER;
        out->er = sc.kind == RU_SCOPE_ER;
    } else {
        out->er = sc.kind == RU_SCOPE_ER;
        out->inet = sc.kind == RU_SCOPE_INET;
    }
    /* A device serving two circuits: the circuit of the links the pool is used on. */
    out->circuit = out->er ? (sc.kind == RU_SCOPE_ER && sc.circuit ? sc.circuit : v->circuit) : NULL;
}

/* The pools NAT-002 compares, by prefix: each stored prefix leads a chain of pools (head + 1, next + 1). */
struct n2_index {
    struct ptrie *t;
    size_t *next;
    size_t *hit, n_hit;              /* the pools overlapping the last prefix asked, ascending */
};

static void
n2_index_free(struct n2_index *x)
{
    ptrie_free(x->t);
    free(x->next);
    free(x->hit);
}

static int
n2_index_build(struct n2_index *x, const struct ru_pool *v, const struct n2_pool *k, size_t n)
{
    size_t j;
    int found;

    if (!(x->t = ptrie_new()) || !(x->next = calloc(n + 1, sizeof *x->next)) ||
            !(x->hit = malloc((n + 1) * sizeof *x->hit)))
        return -1;
    /* From the last pool down, so each chain runs in the pools' order. */
    for (j = n; j-- > 0;) {
        uintptr_t head;

        if (!k[j].er && !k[j].inet)
            continue;
        head = (uintptr_t)ptrie_get(x->t, &v[j].p, &found);
        x->next[j] = found ? head : 0;
        if (ptrie_insert(x->t, &v[j].p, (void *)(uintptr_t)(j + 1)))
            return -1;
    }
    return 0;
}

static int
n2_hit_cb(const struct pfx *found, void *value, void *arg)
{
    struct n2_index *x = arg;
    size_t j;

    (void)found;
    for (j = (uintptr_t)value; j; j = x->next[j - 1])
        x->hit[x->n_hit++] = j - 1;
    return 0;
}

static int
size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

/* Fill x->hit with every indexed pool whose prefix overlaps @p p, in the pools' order. */
static void
n2_overlapping(struct n2_index *x, const struct pfx *p)
{
    x->n_hit = 0;
    ptrie_overlaps(x->t, p, n2_hit_cb, x);
    if (x->n_hit > 1)
        qsort(x->hit, x->n_hit, sizeof *x->hit, size_cmp);
}

/* NAT-002: ER pools are distinct from Internet pools (whatever device translates) and from other circuits' pools. */
void
nat002_check(struct rule_ctx *rc)
{
    struct ru_pool *v = NULL;
    struct n2_pool *k = NULL;
    struct ru_net net;
    char *marked = NULL;
    struct n2_index ov = {0};
    size_t n, i, c, n_er = 0;

    ru_skip_failed(rc, "er-edge,internet-edge");
    if (ru_net_build(rc, &net))
        return;
    if (ru_nat_pools(rc, NAT_ALL_ROLES, &v, &n))
        goto cleanup;
    /* A cross-circuit overlap is reported once, on the first pool; the second loses its pass. */
    if (n && (!(marked = calloc(n, 1)) || !(k = calloc(n, sizeof *k)))) {
        rc->rc = ER_ENOMEM;
        goto cleanup;
    }
    for (i = 0; i < n; i++)
        n2_classify(&net, &v[i], &k[i]);
    /* Overlaps through a trie of the pools that translate toward Microsoft or the Internet: n log n, not n^2. */
    if (n2_index_build(&ov, v, k, n)) {
        rc->rc = ER_ENOMEM;
        goto cleanup;
    }
    for (i = 0; i < n; i++) {
        int bad = 0;
        char seen[320], exp[128];
        struct evidence ev = {.seen = seen, .expected = exp, .source = SRC_CONFIG};

        if (!k[i].er)
            continue;
        n_er++;
        n2_overlapping(&ov, &v[i].p);
        for (c = 0; c < ov.n_hit; c++) {
            size_t j = ov.hit[c];
            int inet = k[j].inet && v[j].pool != v[i].pool;
            int other_circ = !inet && k[j].er && j != i && k[i].circuit && k[j].circuit &&
                    strcmp(k[i].circuit, k[j].circuit);
            const char *what;

            if (!(inet || (other_circ && j > i)) || !pfx_overlaps(&v[i].p, &v[j].p))
                continue;
            bad = 1;
            marked[j] = 1;
            what = !inet ? " of circuit " : ru_is_role(v[j].dev, "internet-edge") ? " (Internet edge)"
                 : ru_is_role(v[j].dev, "firewall") ? " (firewall NAT toward the Internet)"
                 : " (NAT toward the Internet)";
            snprintf(seen, sizeof seen, "pool %s %s on %s overlaps pool %s %s on %s%s%s", model_str(v[i].pool, "name"),
                    v[i].prefix, ru_name(v[i].dev), model_str(v[j].pool, "name"), v[j].prefix, ru_name(v[j].dev),
                    what, inet ? "" : k[j].circuit);
            snprintf(exp, sizeof exp, "%s", inet ? "ExpressRoute NAT pool distinct from the Internet edge's"
                                                 : "a NAT pool of its own per circuit");
            ev.path = model_path(v[i].pool);
            rule_fail(rc, ru_name(v[i].dev), k[i].circuit, &ev, "%s: NAT pool %s overlaps %s's pool %s",
                    ru_name(v[i].dev), v[i].prefix, ru_name(v[j].dev), v[j].prefix);
        }
        if (!bad && !marked[i]) {
            snprintf(seen, sizeof seen, "pool %s %s overlaps no Internet-edge pool and no other circuit's pool",
                    model_str(v[i].pool, "name"), v[i].prefix);
            snprintf(exp, sizeof exp, "distinct NAT pools per edge and per circuit");
            ev.path = model_path(v[i].pool);
            rule_pass(rc, ru_name(v[i].dev), k[i].circuit, &ev, "%s: NAT pool %s is distinct", ru_name(v[i].dev),
                    v[i].prefix);
        }
    }
    if (!n_er)
        rule_skip(rc, NULL, NULL, "no NAT pool on any ExpressRoute edge device");
cleanup:
    n2_index_free(&ov);
    free(k);
    free(marked);
    free(v);
    ru_net_free(&net);
}

struct first_hit {
    struct pfx p;
    const struct ru_nb *nb;
    int hit;
    const struct pfx *q;             /* NAT-004: the ER prefix */
    int strict_only;                 /* NAT-004: ignore covering Internet prefixes */
};

static int
first_hit_cb(const struct pfx *found, void *value, void *arg)
{
    struct first_hit *h = arg;

    /* An Internet aggregate covering a strictly more specific ER prefix is the accepted design. */
    if (h->strict_only && pfx_contains(found, h->q) && found->len < h->q->len)
        return 0;
    h->p = *found;
    h->nb = value;
    h->hit = 1;
    return 1;
}

/* NAT-003: no ER NAT pool is reachable through an Internet advertisement. */
void
nat003_check(struct rule_ctx *rc)
{
    struct ru_pool *v = NULL;
    struct ptrie *t = NULL;
    struct ru_net n;
    size_t np = 0, i, lists, judged = 0;

    ru_skip_failed(rc, "er-edge,internet-edge");
    if (ru_net_build(rc, &n))
        return;
    if (ru_nat_pools(rc, NAT_ALL_ROLES, &v, &np) || ru_adv_trie(rc, n.inet, n.n_inet, &t, &lists))
        goto cleanup;
    for (i = 0; i < np; i++) {
        struct ru_nat_scope sc;

        if (!ru_is_role(v[i].dev, "er-edge"))
            ru_pool_scope(&n, &v[i], &sc);
        judged += ru_is_role(v[i].dev, "er-edge") || sc.kind == RU_SCOPE_ER;
    }
    if (!judged) {
        rule_skip(rc, NULL, NULL, "no NAT pool on any ExpressRoute edge device");
        goto cleanup;
    }
    if (!n.n_inet || !lists) {
        rule_skip(rc, NULL, NULL, "%s", n.n_inet ? "no prefixes advertised to Internet neighbors were collected"
                                               : "no Internet BGP neighbor in the network");
        goto cleanup;
    }
    for (i = 0; i < np; i++) {
        struct first_hit h = {0};
        struct ru_nat_scope sc;
        char seen[1024], pb[PFX_STRLEN], scope[640], pname[160];
        struct evidence ev = {.seen = seen, .source = SRC_STATE,
            .expected = "ExpressRoute NAT pool not advertised to the Internet"};
        int er = ru_is_role(v[i].dev, "er-edge");
        size_t len, same;

        /* A device's pools with one prefix (one per link or NAT rule) are one public prefix: judged once. */
        if (!ru_nat_scope_group(&n, v, np, i, &sc, &same))
            continue;
        snprintf(pname, sizeof pname, "%s %s%s", model_str(v[i].pool, "name"), v[i].prefix,
                same > 1 ? " (and the device's other pools with that prefix)" : "");
        /* An ExpressRoute pool is one used toward Microsoft: an ER edge's pool unless only the Internet
         * egress uses it, another edge's pool only when every use is toward Microsoft. */
        if (er ? sc.kind == RU_SCOPE_INET : sc.kind != RU_SCOPE_ER) {
            if (!er)
                continue;
            snprintf(seen, sizeof seen, "NAT pool %s of %s: %s", pname,
                    ru_name(v[i].dev), ru_nat_scope_text(&sc, scope, sizeof scope));
            ev.path = model_path(v[i].pool);
            ev.source = SRC_CONFIG;
            rule_pass(rc, ru_name(v[i].dev), v[i].circuit, &ev, "%s: NAT pool %s is used only toward the Internet: "
                    "not an ExpressRoute pool", ru_name(v[i].dev), v[i].prefix);
            continue;
        }
        ptrie_overlaps(t, &v[i].p, first_hit_cb, &h);
        ev.path = model_path(v[i].pool);
        if (h.hit)
            snprintf(seen, sizeof seen, "NAT pool %s of %s overlaps %s advertised to %s on %s",
                    pname, ru_name(v[i].dev), pfx_format(&h.p, pb), h.nb->addr,
                    h.nb->dev_name);
        else
            snprintf(seen, sizeof seen, "NAT pool %s: no overlapping prefix among those advertised to the Internet",
                    pname);
        /* Say why a pool counts as an ExpressRoute pool when its role alone does not tell. */
        if (!er || sc.kind == RU_SCOPE_NONE || sc.kind == RU_SCOPE_ANY) {
            len = strlen(seen);
            snprintf(seen + len, sizeof seen - len, "; %s", ru_nat_scope_text(&sc, scope, sizeof scope));
        }
        if (h.hit)
            rule_fail(rc, ru_name(v[i].dev), v[i].circuit, &ev, "%s: ExpressRoute NAT pool %s is advertised to the "
                    "Internet (%s via %s)", ru_name(v[i].dev), v[i].prefix, pb, h.nb->dev_name);
        else
            rule_pass(rc, ru_name(v[i].dev), v[i].circuit, &ev, "%s: NAT pool %s is not advertised to the Internet",
                    ru_name(v[i].dev), v[i].prefix);
    }
cleanup:
    ptrie_free(t);
    free(v);
    ru_net_free(&n);
}

/* NAT-004: what goes to Microsoft does not also go to the Internet, unless the ER copy is more specific. */
void
nat004_check(struct rule_ctx *rc)
{
    struct ptrie *t = NULL;
    struct ru_net n;
    size_t i, lists, ms_lists = 0;

    ru_skip_failed(rc, "er-edge,internet-edge");
    if (ru_net_build(rc, &n) || ru_adv_trie(rc, n.inet, n.n_inet, &t, &lists))
        goto cleanup;
    for (i = 0; i < n.n_ms; i++)
        ms_lists += ru_has_adv_list(n.ms[i].nb);
    if (!ms_lists || !lists) {
        rule_skip(rc, NULL, NULL, "no prefixes advertised to %s were collected",
                !ms_lists ? "Microsoft neighbors" : n.n_inet ? "Internet neighbors" : "the Internet (no Internet neighbor)");
        goto cleanup;
    }
    for (i = 0; i < n.n_ms; i++) {
        const struct ru_nb *x = &n.ms[i];
        struct lyd_node *ap;
        size_t total = 0, bad = 0;
        char seen[320], pb[PFX_STRLEN];
        struct evidence ev = {.seen = seen, .source = SRC_STATE};

        if (!ru_has_adv_list(x->nb))
            continue;
        MODEL_FOR(x->nb, "advertised-prefix", ap) {
            struct first_hit h = {0};
            struct pfx p;

            if (ru_pfx(model_value(ap), &p))
                continue;
            total++;
            h.q = &p;
            h.strict_only = 1;
            ptrie_overlaps(t, &p, first_hit_cb, &h);
            if (!h.hit)
                continue;
            bad++;
            snprintf(seen, sizeof seen, "%s advertised to Microsoft %s and %s advertised to Internet neighbor %s on %s",
                    model_value(ap), x->addr, pfx_format(&h.p, pb), h.nb->addr, h.nb->dev_name);
            ev.path = model_path(x->nb);
            ev.expected = "not advertised to the Internet, or the ExpressRoute copy strictly more specific";
            rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: %s is advertised both to Microsoft and to the Internet "
                    "(%s on %s)", x->dev_name, model_value(ap), pb, h.nb->dev_name);
        }
        if (bad)
            continue;
        snprintf(seen, sizeof seen, "%zu prefix%s advertised to %s; %s advertised to the Internet as or more "
                "specifically", total, total == 1 ? "" : "es", x->addr, total == 1 ? "not" : "none");
        ev.path = model_path(x->nb);
        ev.expected = "ExpressRoute prefixes kept off the Internet or more specific there";
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: prefixes advertised to %s are separate from the Internet's",
                x->dev_name, x->addr);
    }
cleanup:
    ptrie_free(t);
    ru_net_free(&n);
}

const char *const nat001_paths[] = {RU_DEV "/nat/pool/prefix", RU_DEV "/nat/pool/interface",
    RU_DEV "/nat/rule/type", RU_DEV "/nat/rule/pool", RU_DEV "/nat/rule/translated-prefix",
    RU_DEV "/nat/rule/egress-interface", RU_DEV "/zone/faces", RU_DEV "/zone/interface", RU_DEV "/interface/zone",
    RU_DEV "/interface/address/ip", RU_NB "/peer-as", NULL};
const char *const nat002_paths[] = {RU_DEV "/role", RU_DEV "/nat/pool/prefix", RU_DEV "/nat/pool/interface",
    RU_DEV "/nat/rule/pool", RU_DEV "/nat/rule/egress-interface", RU_DEV "/zone/faces", RU_DEV "/zone/interface",
    RU_DEV "/interface/zone", RU_NB "/peer-as", RU_CIRC "/primary/device", RU_CIRC "/secondary/device", NULL};
const char *const nat003_paths[] = {RU_DEV "/nat/pool/prefix", RU_DEV "/nat/pool/interface",
    RU_DEV "/nat/rule/pool", RU_DEV "/nat/rule/egress-interface", RU_NB "/peer-as", RU_NB "/advertised-prefix", NULL};
const char *const nat004_paths[] = {RU_NB "/peer-as", RU_NB "/advertised-prefix", NULL};
