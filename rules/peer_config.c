/**
 * @file peer_config.c
 * @brief Peering rules on the configuration of the Microsoft sessions:
 * link subnets, AS numbers, registered prefixes, community filters, BFD,
 * best-path options, MD5 and timers (checklist "Peering").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_eval.h"
#include "view.h"

#define PEER_MAX_DETAIL 5

/* @p net plus @p k as a host prefix. */
static void
addr_plus(const struct pfx *net, unsigned k, struct pfx *out)
{
    int i = net->family == 4 ? 3 : 15;
    unsigned carry = k;

    *out = *net;
    out->len = net->family == 4 ? 32 : 128;
    for (; i >= 0 && carry; i--) {
        unsigned v = out->addr[i] + (carry & 0xff);

        out->addr[i] = (uint8_t)v;
        carry = (carry >> 8) + (v >> 8);
    }
}

/* The interface address of @p ifc inside @p subnet, as text. */
static const char *
iface_addr_in(const struct lyd_node *ifc, const struct pfx *subnet, struct pfx *a)
{
    struct lyd_node *ad;

    MODEL_FOR(ifc, "address", ad) {
        const char *ip = model_str(ad, "ip");

        if (!ru_pfx(ip, a) && pfx_contains(subnet, a))
            return ip;
    }
    return NULL;
}

/* PEER-003 for one Microsoft neighbor; returns 1 and fills @p subnet when the link subnet is known. */
static int
peer003_nb(struct rule_ctx *rc, const struct ru_nb *x, struct pfx *subnet)
{
    struct lyd_node *ifc = ru_iface_for(rc, x->dev, &x->a, subnet);
    unsigned want = x->a.family == 4 ? 30 : 126;
    struct pfx first, second, mine;
    char seen[512], exp[256], sbuf[PFX_STRLEN], b1[PFX_STRLEN], b2[PFX_STRLEN], why[384] = "";
    struct evidence ev = {.path = model_path(x->nb), .seen = seen, .expected = exp, .source = SRC_CONFIG};
    const char *myip;
    size_t off = 0;

    if (!ifc) {
        snprintf(seen, sizeof seen, "no interface of %s has a subnet holding %s", x->dev_name, x->addr);
        snprintf(exp, sizeof exp, "a /%u peering subnet on the link interface", want);
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: Microsoft neighbor %s is on no interface subnet",
                x->dev_name, x->addr);
        return 0;
    }
    pfx_format(subnet, sbuf);
    addr_plus(subnet, 1, &first);
    addr_plus(subnet, 2, &second);
    myip = iface_addr_in(ifc, subnet, &mine);
    pfx_format(&first, b1);
    pfx_format(&second, b2);
    *strchr(b1, '/') = '\0';
    *strchr(b2, '/') = '\0';
    snprintf(exp, sizeof exp, "a public /%u, %s for you and %s for Microsoft", want, b1, b2);
    if (pfx_is_private(subnet) || (pfx_is_bogon(subnet)))
        off += (size_t)snprintf(why + off, sizeof why - off, "%sthe subnet is not public address space", off ? "; " : "");
    if (subnet->len != want && off < sizeof why)
        off += (size_t)snprintf(why + off, sizeof why - off, "%sthe subnet is a /%u, not a /%u", off ? "; " : "",
                subnet->len, want);
    if (subnet->len == want && off < sizeof why && myip && !pfx_equal(&mine, &first))
        off += (size_t)snprintf(why + off, sizeof why - off, "%syour address %s is not the first usable one",
                off ? "; " : "", myip);
    if (subnet->len == want && off < sizeof why && !pfx_equal(&x->a, &second))
        off += (size_t)snprintf(why + off, sizeof why - off, "%sMicrosoft's address %s is not the second usable one",
                off ? "; " : "", x->addr);
    snprintf(seen, sizeof seen, "%s on %s: %s %s, Microsoft %s", sbuf, model_str(ifc, "name"), x->dev_name,
            myip ? myip : "?", x->addr);
    if (off)
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: peering link to %s: %s", x->dev_name, x->addr, why);
    else
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: peering link %s to %s is laid out as Microsoft requires",
                x->dev_name, sbuf, x->addr);
    return 1;
}

/* PEER-003: peering subnets are public /30 (/126), first usable yours, second Microsoft's, one per session. */
void
peer003_check(struct rule_ctx *rc)
{
    struct ru_net n;
    struct ptrie *seen_subs = NULL;
    struct pfx *subs;
    int *known;
    size_t i, j;

    ru_skip_failed(rc, "er-edge");
    if (ru_net_build(rc, &n))
        return;
    subs = calloc(n.n_ms + 1, sizeof *subs);
    known = calloc(n.n_ms + 1, sizeof *known);
    if (!subs || !known) {
        rc->rc = ER_ENOMEM;
        goto cleanup;
    }
    for (i = 0; i < n.n_ms; i++) {
        if (!ru_has_config(n.ms[i].dev) && !model_child(n.ms[i].dev, "interface")) {
            rule_skip(rc, n.ms[i].dev_name, n.ms[i].circuit, "%s: no interface addresses collected", n.ms[i].dev_name);
            continue;
        }
        known[i] = peer003_nb(rc, &n.ms[i], &subs[i]);
    }
    /* Primary and secondary must not share a subnet: the first session in each subnet is remembered. */
    if (!(seen_subs = ptrie_new())) {
        rc->rc = ER_ENOMEM;
        goto cleanup;
    }
    for (j = 0; j < n.n_ms; j++) {
        char seen[256], sbuf[PFX_STRLEN];
        struct evidence ev = {.seen = seen, .expected = "a subnet of its own for each session", .source = SRC_CONFIG};
        void *first;
        int found = 0;

        if (!known[j])
            continue;
        first = ptrie_get(seen_subs, &subs[j], &found);
        if (!found) {
            if (ptrie_insert(seen_subs, &subs[j], (void *)(uintptr_t)(j + 1))) {
                rc->rc = ER_ENOMEM;
                goto cleanup;
            }
            continue;
        }
        i = (uintptr_t)first - 1;
        ev.path = model_path(n.ms[j].nb);
        snprintf(seen, sizeof seen, "%s (%s) and %s (%s) both in %s", n.ms[i].addr, n.ms[i].dev_name, n.ms[j].addr,
                n.ms[j].dev_name, pfx_format(&subs[i], sbuf));
        rule_fail(rc, n.ms[j].dev_name, n.ms[j].circuit, &ev, "%s: sessions %s and %s share the subnet %s",
                n.ms[j].dev_name, n.ms[i].addr, n.ms[j].addr, sbuf);
    }
    if (!n.n_ms)
        rule_skip(rc, NULL, NULL, "no Microsoft BGP neighbor in the network");
cleanup:
    ptrie_free(seen_subs);
    free(subs);
    free(known);
    ru_net_free(&n);
}

/* Why an AS number is not usable toward Microsoft, or NULL; @p priv set for private ones. */
static const char *
as_problem(uint64_t as, int *priv)
{
    *priv = 0;
    if (as == 0 || as == 23456 || as == 65535 || as == 4294967295ULL)
        return "is reserved";
    if (as >= 65515 && as <= 65520)
        return "is reserved by Microsoft (65515-65520)";
    if ((as >= 64496 && as <= 64511) || (as >= 65536 && as <= 65551))
        return "is reserved for documentation";
    if ((as >= 64512 && as <= 65534) || (as >= 4200000000ULL && as <= 4294967294ULL))
        *priv = 1;
    return NULL;
}

/* PEER-004: the local AS of every ExpressRoute edge is usable with Microsoft. */
void
peer004_check(struct rule_ctx *rc)
{
    struct lyd_node *dev, *nb;
    struct ru_net n;
    int any = 0;

    if (ru_net_build(rc, &n))
        return;
    MODEL_FOR(rc->m->net, "device", dev) {
        struct lyd_node *bgp;
        uint64_t las;
        const char *bad;
        char seen[256];
        struct evidence ev = {.seen = seen, .expected = "a public AS, or a private one without prepends toward Microsoft",
            .source = ru_has_config(dev) ? SRC_CONFIG : SRC_STATE};
        unsigned prepend = 0;
        int priv;

        if (!ru_is_role(dev, "er-edge") || ru_failed(rc, dev))
            continue;
        any = 1;
        bgp = ru_dev_part(dev, "bgp");
        if (!model_u64(bgp, "local-as", &las)) {
            /* AS_TRANS is never taken for the AS: without the 4-byte value the rule cannot judge. */
            if (model_str(bgp, "local-as-unknown"))
                rule_skip(rc, ru_name(dev), NULL, "%s: local AS not known: %s; collect the configuration (NETCONF) "
                        "for the 4-byte value", ru_name(dev), model_str(bgp, "local-as-unknown"));
            else
                rule_skip(rc, ru_name(dev), NULL, "%s: no local AS collected", ru_name(dev));
            continue;
        }
        ev.path = model_path(model_child(bgp, "local-as"));
        bad = as_problem(las, &priv);
        MODEL_FOR(bgp, "neighbor", nb) {
            unsigned p;

            if (ru_is_ms(&n, nb) && (p = ru_export_prepend(dev, nb)) > prepend)
                prepend = p;
        }
        snprintf(seen, sizeof seen, "local AS %" PRIu64 "%s%s", las, priv ? " (private)" : "",
                prepend ? ", AS-path prepend toward Microsoft" : "");
        if (bad)
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: local AS %" PRIu64 " %s and cannot peer with Microsoft",
                    ru_name(dev), las, bad);
        else if (priv && prepend)
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: prepends its private AS %" PRIu64 " toward Microsoft, which "
                    "strips private AS numbers: the prepend has no effect", ru_name(dev), las);
        else if (priv)
            rule_pass(rc, ru_name(dev), NULL, &ev, "%s: private AS %" PRIu64 " is accepted (Microsoft strips it, so "
                    "AS-path prepending would not work)", ru_name(dev), las);
        else
            rule_pass(rc, ru_name(dev), NULL, &ev, "%s: public AS %" PRIu64, ru_name(dev), las);
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no device with role er-edge in the inventory");
    ru_net_free(&n);
}

/* PEER-007: only prefixes registered for the circuit are advertised on it. */
static void
peer007_one(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg)
{
    struct lyd_node *c = x->circuit ? model_find(rc->m->net, "circuit", x->circuit) : NULL, *ap, *rp;
    char seen[512], exp[256];
    struct evidence ev = {.path = model_path(x->nb), .seen = seen, .expected = exp, .source = SRC_STATE};
    size_t bad = 0, total = 0, off = 0;

    (void)n;
    (void)arg;
    if (!c) {
        rule_skip(rc, x->dev_name, NULL, "%s: Microsoft neighbor %s belongs to no circuit of the inventory",
                x->dev_name, x->addr);
        return;
    }
    if (!model_child(c, "registered-prefix")) {
        rule_skip(rc, x->dev_name, x->circuit, "circuit %s: the inventory registers no public prefixes for it",
                x->circuit);
        return;
    }
    if (!ru_has_adv_list(x->nb)) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: the prefixes advertised to %s were not collected", x->dev_name,
                x->addr);
        return;
    }
    MODEL_FOR(c, "registered-prefix", rp)
        off += (size_t)snprintf(exp + off, off < sizeof exp ? sizeof exp - off : 0, "%s%s", off ? ", " : "",
                model_value(rp));
    MODEL_FOR(x->nb, "advertised-prefix", ap) {
        struct pfx p, r;
        int ok = 0;

        total++;
        if (ru_pfx(model_value(ap), &p))
            continue;
        MODEL_FOR(c, "registered-prefix", rp) {
            if (!ru_pfx(model_value(rp), &r) && pfx_contains(&r, &p))
                ok = 1;
        }
        if (ok || bad++ >= PEER_MAX_DETAIL)
            continue;
        snprintf(seen, sizeof seen, "%s advertised to %s", model_value(ap), x->addr);
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: %s is advertised to Microsoft but not registered for "
                "circuit %s", x->dev_name, model_value(ap), x->circuit);
    }
    if (bad > PEER_MAX_DETAIL) {
        snprintf(seen, sizeof seen, "%zu more unregistered prefixes advertised to %s", bad - PEER_MAX_DETAIL, x->addr);
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: %zu more unregistered prefixes to %s", x->dev_name,
                bad - PEER_MAX_DETAIL, x->addr);
    }
    if (!bad) {
        snprintf(seen, sizeof seen, "%zu prefix%s advertised to %s, %s", total, total == 1 ? "" : "es",
                x->addr, total == 1 ? "registered" : "all registered");
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: every prefix advertised to %s is registered for %s",
                x->dev_name, x->addr, x->circuit);
    }
}

void
peer007_check(struct rule_ctx *rc)
{
    ru_each_ms(rc, "er-edge", NULL, peer007_one, NULL);
}

/* 1 when an import policy of @p nb filters on communities. */
static int
filters_by_community(const struct lyd_node *dev, const struct lyd_node *nb)
{
    struct lyd_node *pn, *term;

    MODEL_FOR(nb, "import-policy", pn) {
        MODEL_FOR(model_find(dev, "policy", model_value(pn)), "term", term) {
            if (pe_term_uses_communities(term))
                return 1;
        }
    }
    return 0;
}

/* 1 when a community-set used by @p nb's import policy lists @p comm. */
static int
policy_lists(const struct lyd_node *dev, const struct lyd_node *nb, const char *comm)
{
    struct lyd_node *pn, *term, *ref, *m;

    MODEL_FOR(nb, "import-policy", pn) {
        MODEL_FOR(model_find(dev, "policy", model_value(pn)), "term", term) {
            MODEL_FOR(term, "match-community-set", ref) {
                MODEL_FOR(model_find(dev, "community-set", model_value(ref)), "member", m) {
                    if (!strcmp(model_value(m), comm))
                        return 1;
                }
            }
        }
    }
    return 0;
}

/* PEER-009: a community filter admits the regional communities of the environment's Azure regions. */
static void
peer009_one(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg)
{
    struct lyd_node *t = arg, *reg;
    char seen[512], exp[256], missing[256] = "", admitted[256] = "";
    struct evidence ev = {.path = model_path(x->nb), .seen = seen, .expected = exp, .source = SRC_CONFIG};
    size_t om = 0, oa = 0;
    const char *undef;

    (void)n;
    if (!ru_has_config(x->dev)) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: no configuration collected for %s", x->dev_name, x->addr);
        return;
    }
    if ((undef = pe_undefined(x->dev, x->nb, 1))) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: import policy %s of %s is not defined or could not be read "
                "(see the device's collection reason)", x->dev_name, undef, x->addr);
        return;
    }
    if (!filters_by_community(x->dev, x->nb)) {
        snprintf(seen, sizeof seen, "import policy of %s has no community condition", x->addr);
        snprintf(exp, sizeof exp, "if routes are filtered by community, the regional communities are admitted");
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: routes from %s are not filtered by community", x->dev_name,
                x->addr);
        return;
    }
    if (!t) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: the tenant's Azure regions are not known (tenant: "
                "power-platform-region or azure-regions)", x->dev_name);
        return;
    }
    MODEL_FOR(t, "azure-region", reg) {
        const char *comm = ref_region_community(rc->ref, model_value(reg));
        char name[96];
        struct pe_route r;
        struct pe_result res;

        if (!comm)
            continue;
        snprintf(name, sizeof name, "region.%s", model_value(reg));
        pe_ms_route(rc->ref, name, NULL, &r);
        pe_eval(x->dev, x->nb, 1, &r, &res);
        if (res.accepted)
            oa += (size_t)snprintf(admitted + oa, oa < sizeof admitted ? sizeof admitted - oa : 0, "%s%s (%s)",
                    oa ? ", " : "", comm, ref_region_display(rc->ref, model_value(reg)));
        else
            om += (size_t)snprintf(missing + om, om < sizeof missing ? sizeof missing - om : 0, "%s%s (%s)",
                    om ? ", " : "", comm, ref_region_display(rc->ref, model_value(reg)));
    }
    snprintf(exp, sizeof exp, "the regional communities of every Azure region of the environment admitted");
    if (om) {
        snprintf(seen, sizeof seen, "rejected: %s%s%s%s", missing, oa ? "; admitted: " : "", admitted,
                policy_lists(x->dev, x->nb, "12076:5040") ? "; the filter names 12076:5040, which is CRM Online "
                "(Dynamics 8.2 and older), not Power Platform" : "");
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: the import filter of %s drops Microsoft routes of %s",
                x->dev_name, x->addr, missing);
    } else if (oa) {
        snprintf(seen, sizeof seen, "admitted: %s", admitted);
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: the import filter of %s admits %s", x->dev_name, x->addr,
                admitted);
    } else {
        rule_skip(rc, x->dev_name, x->circuit, "%s: no regional community is recorded for the tenant's regions",
                x->dev_name);
    }
}

void
peer009_check(struct rule_ctx *rc)
{
    struct lyd_node *t = model_child(rc->m->net, "tenant"), *reg;
    size_t nreg = 0;

    MODEL_FOR(t, "azure-region", reg)
        nreg++;
    ru_each_ms(rc, "er-edge", NULL, peer009_one, nreg ? t : NULL);
}

/* PEER-010: BFD runs on every Microsoft session. */
static void
peer010_one(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg)
{
    uint64_t ms = *(const uint64_t *)arg;
    char seen[128], exp[128];
    struct evidence ev = {.path = model_path(x->nb), .seen = seen, .expected = exp, .source = SRC_CONFIG};

    (void)n;
    if (!ru_has_config(x->dev)) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: no configuration collected for %s", x->dev_name, x->addr);
        return;
    }
    snprintf(exp, sizeof exp, "BFD enabled for the BGP session (Microsoft runs it at %" PRIu64 " ms)", ms);
    snprintf(seen, sizeof seen, "bfd %s on %s", model_bool(x->nb, "bfd", 0) ? "enabled" : "not configured", x->addr);
    if (model_bool(x->nb, "bfd", 0))
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: BFD protects the session with %s", x->dev_name, x->addr);
    else
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: no BFD on the session with %s: a link failure is "
                "noticed only when the hold timer expires", x->dev_name, x->addr);
}

void
peer010_check(struct rule_ctx *rc)
{
    uint64_t ms = ref_limit(rc->ref, "bfd-interval-ms", 300);

    ru_each_ms(rc, "er-edge", NULL, peer010_one, &ms);
}

/* PEER-011: best-path selection keeps AS-path length. */
void
peer011_check(struct rule_ctx *rc)
{
    struct lyd_node *dev, *bgp;
    int any = 0;

    MODEL_FOR(rc->m->net, "device", dev) {
        struct evidence ev = {.expected = "AS-path length compared in best-path selection", .source = SRC_CONFIG};
        int ign;

        if (!ru_role_in(dev, "er-edge,internet-edge,wan") || !(bgp = ru_dev_part(dev, "bgp")) || ru_failed(rc, dev))
            continue;
        any = 1;
        if (!ru_has_config(dev)) {
            rule_skip(rc, ru_name(dev), NULL, "%s: no configuration collected", ru_name(dev));
            continue;
        }
        ign = model_bool(bgp, "ignore-as-path-length", 0);
        ev.path = model_path(model_child(bgp, "ignore-as-path-length") ? model_child(bgp, "ignore-as-path-length") : bgp);
        ev.seen = ign ? "ignore-as-path-length true" : "AS-path length compared (default)";
        if (ign)
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: best-path selection ignores AS-path length, so Microsoft's "
                    "maintenance prepends do not move traffic to the other path", ru_name(dev));
        else
            rule_pass(rc, ru_name(dev), NULL, &ev, "%s: AS-path length counts in best-path selection", ru_name(dev));
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no BGP on edge or WAN devices");
}

/* Sessions of one circuit together, else of one device without circuits (as PEER-012 pairs them). */
static int
session_group_cmp(const void *pa, const void *pb)
{
    const struct ru_nb *a = *(const struct ru_nb *const *)pa, *b = *(const struct ru_nb *const *)pb;
    uintptr_t x, y;

    if (!a->circuit != !b->circuit)
        return a->circuit ? -1 : 1;
    if (a->circuit)
        return strcmp(a->circuit, b->circuit);
    x = (uintptr_t)a->dev;
    y = (uintptr_t)b->dev;
    return x < y ? -1 : x > y;
}

/*
 * For each Microsoft session i: how many sessions of its group with a
 * configuration have MD5 off ([2i]) and on ([2i + 1]); sorted, so the
 * network's size costs n log n. NULL out of memory (an empty network: a
 * zero-length array of 1).
 */
static size_t *
md5_groups(const struct ru_net *n)
{
    const struct ru_nb **o = malloc((n->n_ms ? n->n_ms : 1) * sizeof *o);
    size_t *cnt = calloc(2 * n->n_ms + 1, sizeof *cnt), i, j, k;

    if (!o || !cnt) {
        free(o);
        free(cnt);
        return NULL;
    }
    for (i = 0; i < n->n_ms; i++)
        o[i] = &n->ms[i];
    if (n->n_ms)
        qsort(o, n->n_ms, sizeof *o, session_group_cmp);
    for (i = 0; i < n->n_ms; i = j) {
        size_t on = 0, off = 0;

        for (j = i; j < n->n_ms && !session_group_cmp(&o[i], &o[j]); j++) {
            if (ru_has_config(o[j]->dev))
                model_bool(o[j]->nb, "md5", 0) ? on++ : off++;
        }
        for (k = i; k < j; k++) {
            size_t at = (size_t)(o[k] - n->ms);

            cnt[2 * at] = off;
            cnt[2 * at + 1] = on;
        }
    }
    free(o);
    return cnt;
}

/* PEER-012's minimum timers, and the MD5 count per group made at the first session. */
struct peer012_ctx {
    uint64_t ka_min, hold_min;
    size_t *md5s;
};

/* PEER-012: MD5 on both sessions of a circuit or on neither; timers not below Microsoft's minimum. */
static void
peer012_one(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg)
{
    struct peer012_ctx *c = arg;
    uint64_t ka_min = c->ka_min, hold_min = c->hold_min;
    size_t i = (size_t)(x - n->ms);
    char seen[256], exp[160];
    struct evidence ev = {.path = model_path(x->nb), .seen = seen, .expected = exp, .source = SRC_CONFIG};
    uint64_t ka = 0, hold = 0;
    int has_ka, has_hold, md5 = model_bool(x->nb, "md5", 0), mismatch = 0;

    if (!c->md5s && !(c->md5s = md5_groups(n))) {
        rc->rc = ER_ENOMEM;
        return;
    }
    if (!ru_has_config(x->dev)) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: no configuration collected for %s", x->dev_name, x->addr);
        return;
    }
    has_ka = model_u64(x->nb, "keepalive", &ka);
    has_hold = model_u64(x->nb, "hold-time", &hold);
    /* The other sessions of the same circuit (or of the same device without circuits). */
    mismatch = c->md5s[2 * i + !md5] > 0;
    snprintf(exp, sizeof exp, "keepalive >= %" PRIu64 " s, hold >= %" PRIu64 " s; MD5 on both sessions or neither",
            ka_min, hold_min);
    snprintf(seen, sizeof seen, "%s: keepalive %s, hold %s, MD5 %s", x->addr, has_ka ? "" : "default",
            has_hold ? "" : "default", md5 ? "set" : "not set");
    if (has_ka || has_hold)
        snprintf(seen, sizeof seen, "%s: keepalive %" PRIu64 " s, hold %" PRIu64 " s, MD5 %s", x->addr, ka, hold,
                md5 ? "set" : "not set");
    if (has_ka && ka < ka_min)
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: keepalive %" PRIu64 " s toward %s is below %" PRIu64 " s",
                x->dev_name, ka, x->addr, ka_min);
    else if (has_hold && hold && hold < hold_min)
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: hold time %" PRIu64 " s toward %s is below %" PRIu64 " s",
                x->dev_name, hold, x->addr, hold_min);
    else if (mismatch)
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: MD5 is %s on %s but %s on the other session of the "
                "circuit", x->dev_name, md5 ? "set" : "missing", x->addr, md5 ? "not" : "set");
    else
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: timers and MD5 of %s are consistent", x->dev_name,
                x->addr);
}

void
peer012_check(struct rule_ctx *rc)
{
    struct peer012_ctx c = {ref_limit(rc->ref, "bgp-min-keepalive", 3), ref_limit(rc->ref, "bgp-min-hold", 10), NULL};

    ru_each_ms(rc, "er-edge", NULL, peer012_one, &c);
    free(c.md5s);
}

const char *const peer003_paths[] = {RU_NB "/peer-as", RU_DEV "/interface/address/ip",
    RU_DEV "/interface/address/prefix-length", NULL};
const char *const peer004_paths[] = {RU_DEV "/bgp/local-as", RU_DEV "/bgp/local-as-unknown",
    RU_NB "/export-policy", RU_DEV "/policy/term/set-prepend-count", NULL};
const char *const peer007_paths[] = {RU_NB "/advertised-prefix", RU_CIRC "/registered-prefix", NULL};
const char *const peer009_paths[] = {RU_NB "/import-policy", RU_DEV "/policy/term/match-community-set",
    RU_DEV "/community-set/member", "/eraudit-network:network/tenant/azure-region", RU_NB "/default-import",
    RU_DEV "/policy/term/match-community-set-options", RU_DEV "/community-set/match-set-options", NULL};
const char *const peer010_paths[] = {RU_NB "/bfd", NULL};
const char *const peer011_paths[] = {RU_DEV "/bgp/ignore-as-path-length", NULL};
const char *const peer012_paths[] = {RU_NB "/md5", RU_NB "/keepalive", RU_NB "/hold-time", NULL};
