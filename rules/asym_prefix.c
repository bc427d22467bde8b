/**
 * @file asym_prefix.c
 * @brief Asymmetric routing around the prefixes advertised over
 * ExpressRoute (checklist "Asymmetric routing"): ASYM-001, a public source
 * prefix advertised to Microsoft also sends its traffic to Microsoft over
 * ExpressRoute, or the replies come back on another edge; ASYM-003, a
 * service published to the Internet is not inside such a prefix, or its
 * replies leave over ExpressRoute.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natscope.h"
#include "policy_eval.h"
#include "view.h"

struct owner_walk {
    size_t routes, bad;
    const struct ru_route *first;    /* valid only inside the callback */
    char first_seen[256];
};

static void
owner_route(const struct ru_route *r, void *arg)
{
    struct owner_walk *w = arg;

    if (!r->best)
        return;
    w->routes++;
    if (r->best_via == RU_VIA_ER)
        return;
    if (!w->bad++)
        snprintf(w->first_seen, sizeof w->first_seen, "best route %s on the owner is via %s (%s, local-pref %" PRIu32 ")",
                model_str(r->route, "prefix"), model_str(r->best, "source"),
                r->best_via == RU_VIA_INET ? "Internet" : "not ExpressRoute", ru_path_lp(r->best));
}

struct adv_hit {
    const struct ru_nb *nb;
    struct pfx p;
};

static int
adv_hit_cb(const struct pfx *found, void *value, void *arg)
{
    struct adv_hit *h = arg;

    h->nb = value;
    h->p = *found;
    return 1;
}

/* The highest local preference the import chains of @p v give route @p r; 0 when none accepts it. */
static int
best_import(const struct ru_nb *v, size_t nv, const struct pe_route *r, uint32_t *lp, const struct ru_nb **which,
        size_t *configured)
{
    struct pe_result x;
    size_t i;
    int any = 0;

    *configured = 0;
    for (i = 0; i < nv; i++) {
        if (!ru_has_config(v[i].dev))
            continue;
        ++*configured;
        pe_eval(v[i].dev, v[i].nb, 1, r, &x);
        if (!x.accepted || (any && x.local_pref <= *lp))
            continue;
        any = 1;
        *lp = x.local_pref;
        *which = &v[i];
    }
    return any;
}

/*
 * Without a RIB: for each Microsoft route, does an Internet neighbor's
 * import accept it with a local-pref that ties or beats ExpressRoute's
 * (or accept it while every ExpressRoute session rejects it)? 1 yes, 0 no,
 * -1 no ExpressRoute session with configuration.
 */
static int
config_verdict(const struct ru_net *n, char *seen, size_t size)
{
    struct pe_routes *rt = calloc(1, sizeof *rt);
    const struct ru_nb *er = NULL, *inet = NULL;
    uint32_t er_lp = 0, inet_lp = 0;
    size_t k, n_er = 0, n_inet = 0;
    int er_ok = 0, inet_ok = 0, bad = 0;

    if (!rt)
        return -1;
    pe_ms_routes(n->rc->m->net, n->rc->ref, rt);
    for (k = 0; k < rt->n; k++) {
        const struct pe_route *r = &rt->v[k];
        struct pe_route ir;
        const struct ru_nb *e = NULL, *w = NULL;
        uint32_t elp = 0, ilp = 0;
        int eo, io;

        eo = best_import(n->ms, n->n_ms, r, &elp, &e, &n_er);
        pe_inet_route(r->prefix_known ? &r->prefix : NULL, &ir);
        io = best_import(n->inet, n->n_inet, &ir, &ilp, &w, &n_inet);
        bad = io && (!eo || ilp >= elp);
        /* Report the first route that goes wrong, else the first one. */
        if (!k || bad) {
            er_ok = eo, er_lp = elp, er = e;
            inet_ok = io, inet_lp = ilp, inet = w;
        }
        if (bad || k + 1 == rt->n) {
            if (!n_er)
                break;
            if (!n_inet)
                snprintf(seen, size, "ExpressRoute local-pref %" PRIu32 "; no Internet BGP neighbor", er_lp);
            else if (!er_ok)
                snprintf(seen, size, "every ExpressRoute session's import rejects %s; Internet neighbor %s on %s "
                        "local-pref %" PRIu32, rt->v[bad ? k : 0].label, inet->addr, inet->dev_name, inet_lp);
            else if (!inet_ok)
                snprintf(seen, size, "ExpressRoute local-pref %" PRIu32 " via %s on %s; every Internet neighbor's "
                        "import rejects %s", er_lp, er->addr, er->dev_name, rt->v[bad ? k : 0].label);
            else
                snprintf(seen, size, "ExpressRoute local-pref %" PRIu32 ", Internet neighbor %s on %s local-pref %"
                        PRIu32, er_lp, inet->addr, inet->dev_name, inet_lp);
            break;
        }
    }
    free(rt);
    return n_er ? bad : -1;
}

/*
 * Today's judgement of one pool advertised to Microsoft, from the owner's
 * routing table, else its routing policy: ST_PASS, ST_FAIL or
 * ST_NOT_EVALUATED with @p seen and @p msg filled; -1 out of memory.
 */
static int
routing_verdict(const struct ru_net *n, const struct ru_pool *p, const struct adv_hit *ms, const char *pb, char *seen,
        size_t ss, char *msg, size_t ms_size, enum er_source *src)
{
    const char *dn = ru_name(p->dev);
    char cfg[256];
    int verdict;

    *src = SRC_STATE;
    if (ru_rib(p->dev)) {
        struct owner_walk w = {0};
        size_t unc;

        if (ru_ms_routes(n, p->dev, owner_route, &w, &unc, NULL) < 0)
            return -1;
        if (!w.routes) {
            snprintf(msg, ms_size, "%s: no route toward Microsoft prefixes in its routing table to judge %s", dn,
                    p->prefix);
            return ST_NOT_EVALUATED;
        }
        if (w.bad) {
            snprintf(seen, ss, "%s (pool %s) advertised to Microsoft as %s via %s on %s; %s%s", p->prefix,
                    model_str(p->pool, "name"), pb, ms->nb->addr, ms->nb->dev_name, w.first_seen,
                    w.bad > 1 ? " and more" : "");
            snprintf(msg, ms_size, "%s: %s is advertised over ExpressRoute but %s sends traffic to Microsoft over the "
                    "Internet: replies return asymmetrically", dn, p->prefix, dn);
            return ST_FAIL;
        }
        snprintf(seen, ss, "%s advertised to Microsoft as %s; %zu routes toward Microsoft on %s all via ExpressRoute",
                p->prefix, pb, w.routes, dn);
        snprintf(msg, ms_size, "%s: %s is symmetric over ExpressRoute (routing table)", dn, p->prefix);
        return ST_PASS;
    }
    if (!ru_has_config(p->dev) || (verdict = config_verdict(n, cfg, sizeof cfg)) < 0) {
        snprintf(msg, ms_size, "%s: neither a routing table nor routing policy configuration to judge %s", dn,
                p->prefix);
        return ST_NOT_EVALUATED;
    }
    snprintf(seen, ss, "%s advertised to Microsoft as %s via %s; %s", p->prefix, pb, ms->nb->addr, cfg);
    *src = SRC_CONFIG;
    if (verdict) {
        snprintf(msg, ms_size, "%s: %s is advertised over ExpressRoute but Internet routes are preferred for "
                "Microsoft prefixes (config)", dn, p->prefix);
        return ST_FAIL;
    }
    snprintf(msg, ms_size, "%s: %s is advertised over ExpressRoute and ExpressRoute routes are preferred (config)", dn,
            p->prefix);
    return ST_PASS;
}

/* ASYM-001: a prefix advertised over ExpressRoute sends its traffic to Microsoft over ExpressRoute. */
void
asym001_check(struct rule_ctx *rc)
{
    struct ru_pool *v = NULL;
    struct ptrie *ms_t = NULL, *inet_t = NULL;
    struct ru_net n;
    size_t np = 0, i, ms_lists, inet_lists, same;

    ru_skip_failed(rc, "er-edge,internet-edge");
    if (ru_net_build(rc, &n) || ru_net_svc(&n))
        goto cleanup;
    if (ru_nat_pools(rc, "er-edge,internet-edge", &v, &np) || ru_adv_trie(rc, n.ms, n.n_ms, &ms_t, &ms_lists) ||
            ru_adv_trie(rc, n.inet, n.n_inet, &inet_t, &inet_lists))
        goto cleanup;
    if (!np) {
        rule_skip(rc, NULL, NULL, "no NAT pool on the ExpressRoute or Internet edge devices");
        goto cleanup;
    }
    if (!ms_lists) {
        rule_skip(rc, NULL, NULL, "no prefixes advertised to Microsoft neighbors were collected");
        goto cleanup;
    }
    for (i = 0; i < np; i++) {
        const struct ru_pool *p = &v[i];
        struct adv_hit ms = {0}, inet = {0};
        char seen[1024], msg[512], scope[640], pb[PFX_STRLEN];
        const char *dn = ru_name(p->dev);
        struct evidence ev = {.path = NULL, .seen = seen, .source = SRC_STATE,
            .expected = "traffic from the prefix to Microsoft leaves over ExpressRoute"};
        struct ru_nat_scope sc;
        int verdict;

        /* A device's pools with one prefix (one per link or NAT rule) are one public prefix: judged once. */
        if (pfx_is_private(&p->p) || !ru_nat_scope_group(&n, v, np, i, &sc, &same))
            continue;
        ptrie_overlaps(ms_t, &p->p, adv_hit_cb, &ms);
        ptrie_overlaps(inet_t, &p->p, adv_hit_cb, &inet);
        if (!ms.nb) {
            snprintf(seen, sizeof seen, "pool %s %s advertised %s, not to Microsoft", model_str(p->pool, "name"),
                    p->prefix, inet.nb ? "to the Internet" : "nowhere collected");
            ev.expected = "prefixes advertised to Microsoft use ExpressRoute both ways";
            ev.path = model_path(p->pool);
            rule_pass(rc, dn, p->circuit, &ev, "%s: %s is not advertised over ExpressRoute, so replies from "
                    "Microsoft follow the Internet path it left on", dn, p->prefix);
            continue;
        }
        pfx_format(&ms.p, pb);
        ru_nat_scope_text(&sc, scope, sizeof scope);
        ev.path = model_path(p->pool);
        if ((verdict = routing_verdict(&n, p, &ms, pb, seen, sizeof seen, msg, sizeof msg, &ev.source)) < 0) {
            if (!rc->rc)
                rc->rc = ER_ENOMEM;
            goto cleanup;
        }
        if (verdict != ST_PASS && sc.kind == RU_SCOPE_ER) {
            /* Only what leaves over ExpressRoute is translated into the pool: the routing cannot split it. */
            char ifs[256];

            snprintf(seen, sizeof seen, "%s (pool %s%s) advertised to Microsoft as %s via %s on %s; %s", p->prefix,
                    model_str(p->pool, "name"), same > 1 ? " and others with the prefix" : "", pb, ms.nb->addr,
                    ms.nb->dev_name, scope);
            ev.expected = "traffic translated into the prefix leaves over ExpressRoute";
            ev.source = SRC_CONFIG;
            rule_pass(rc, dn, p->circuit, &ev, "%s: %s is translated only on egress toward Microsoft (%s), so "
                    "traffic that leaves another way never carries it", dn, p->prefix,
                    ru_nat_scope_ifs(&sc, ifs, sizeof ifs));
            continue;
        }
        if (verdict == ST_NOT_EVALUATED) {
            rule_skip(rc, dn, p->circuit, "%s", msg);
            continue;
        }
        /* A failure names where the pool applies; a pool without scope says it was judged for all traffic. */
        if (verdict == ST_FAIL || sc.kind == RU_SCOPE_NONE || sc.kind == RU_SCOPE_ANY) {
            size_t len = strlen(seen);

            snprintf(seen + len, sizeof seen - len, "; %s", scope);
        }
        rule_report(rc, verdict, -1, dn, p->circuit, &ev, "%s", msg);
    }
cleanup:
    ptrie_free(ms_t);
    ptrie_free(inet_t);
    free(v);
    ru_net_free(&n);
}

/* A published service: a permit from the Internet side toward a specific destination. */
struct published {
    const char *dev, *filter, *dest, *proto, *ports;
    struct lyd_node *rule;
    struct pfx p;
};

/* ASYM-003: services published to the Internet are not inside prefixes advertised over ExpressRoute. */
void
asym003_check(struct rule_ctx *rc)
{
    struct ru_net n;
    struct ptrie *adv = NULL;
    struct lyd_node *dev;
    size_t with_list, found = 0;

    if (ru_net_build(rc, &n) || ru_adv_trie(rc, n.ms, n.n_ms, &adv, &with_list))
        goto cleanup;
    if (!with_list) {
        rule_skip(rc, NULL, NULL, "no prefixes advertised to Microsoft were collected");
        goto cleanup;
    }
    MODEL_FOR(rc->m->net, "device", dev) {
        struct ru_side inet;
        size_t k;

        if (ru_is_failed(dev))
            continue;
        ru_side_collect(&n, dev, "internet", &inet);
        for (k = 0; k < inet.n_filters; k++) {
            struct lyd_node *r;

            MODEL_FOR(inet.filters[k], "rule", r) {
                const char *act = model_str(r, "action"), *dst = model_str(r, "destination");
                const char *proto = model_str(r, "protocol"), *ports = model_str(r, "ports");
                const struct ru_nb *on;
                void *val = NULL;
                struct pfx p, covering;
                char seen[512], pbuf[PFX_STRLEN];
                struct evidence ev = {.path = model_path(r), .seen = seen,
                    .expected = "Internet-published services outside the prefixes advertised over ExpressRoute",
                    .source = SRC_CONFIG};

                if (!act || strcmp(act, "permit") || !dst || ru_pfx(dst, &p) || p.len == 0 || pfx_is_private(&p))
                    continue;
                found++;
                if (ptrie_lookup(adv, &p, &covering, &val)) {
                    on = val;
                    snprintf(seen, sizeof seen, "%s %s/%s permitted from the Internet by %s; %s advertised to Microsoft "
                            "%s on %s", dst, proto ? proto : "ip", ports ? ports : "any", model_str(inet.filters[k], "name"),
                            pfx_format(&covering, pbuf), on->addr, on->dev_name);
                    rule_fail(rc, ru_name(dev), on->circuit, &ev, "%s: the Internet-published service %s is inside %s, "
                            "advertised over ExpressRoute: Microsoft-side connections to it arrive over ExpressRoute "
                            "while its clients use the Internet", ru_name(dev), dst, pbuf);
                } else {
                    snprintf(seen, sizeof seen, "%s %s/%s permitted from the Internet by %s; not advertised to Microsoft",
                            dst, proto ? proto : "ip", ports ? ports : "any", model_str(inet.filters[k], "name"));
                    rule_pass(rc, ru_name(dev), NULL, &ev, "%s: the Internet-published service %s stays on the Internet "
                            "path", ru_name(dev), dst);
                }
            }
        }
    }
    if (!found)
        rule_skip(rc, NULL, NULL, "no service published to the Internet (no Internet-side permit toward a public "
                "address) in the collected filters");
cleanup:
    ptrie_free(adv);
    ru_net_free(&n);
}

const char *const asym001_paths[] = {RU_DEV "/nat/pool/prefix", RU_DEV "/nat/pool/interface",
    RU_DEV "/nat/rule/pool", RU_DEV "/nat/rule/egress-interface", RU_NB "/peer-as", RU_NB "/advertised-prefix",
    RU_DEV "/rib/route/path/source", RU_DEV "/rib/route/path/best", RU_DEV "/rib/route/path/as-path",
    RU_NB "/import-policy", RU_DEV "/policy/term/set-local-preference", RU_NB "/default-import",
    RU_DEV "/policy/term/match-community-set-options", RU_DEV "/policy/term/match-prefix-set-options", NULL};

const char *const asym003_paths[] = {RU_DEV "/filter/rule/destination", RU_DEV "/filter/rule/action",
    RU_DEV "/filter/ingress-interface", RU_DEV "/zone/faces", RU_NB "/advertised-prefix", NULL};
