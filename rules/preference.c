/**
 * @file preference.c
 * @brief BGP preference rules: ExpressRoute wins over the Internet for
 * Microsoft prefixes, also on the failover circuit (checklist "Peering").
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "policy_eval.h"
#include "view.h"

#define PREF_EDGE_ROLES "er-edge,internet-edge,wan"
/* Detailed failures per device before the rest are summed up. */
#define PREF_MAX_DETAIL 5

static const char *
via_name(enum ru_via v)
{
    return v == RU_VIA_ER ? "ExpressRoute" : v == RU_VIA_INET ? "Internet" : "neither ExpressRoute nor Internet";
}

struct dev_walk {
    struct rule_ctx *rc;
    const struct lyd_node *dev;
    size_t routes, bad, shown, igp;  /* igp: a WAN router's routes through an IGP default or summary */
    char first_igp[PFX_STRLEN + 128];
    uint32_t inet_max, er_min;
    int any_inet, any_er;
    int failover;                    /* PREF-002: compare the lowest ER path */
};

static void
report_route(struct dev_walk *w, const struct ru_route *r, const char *seen, const char *exp, const char *what)
{
    struct evidence ev = {.seen = seen, .expected = exp, .source = SRC_STATE};

    w->bad++;
    if (w->shown >= PREF_MAX_DETAIL)
        return;
    w->shown++;
    ev.path = model_path(r->route);
    rule_fail(w->rc, ru_name(w->dev), NULL, &ev, "%s: %s %s (routing table)", ru_name(w->dev),
            model_str(r->route, "prefix"), what);
}

/* PREF-001 on one route: the best path is ExpressRoute and no Internet path ties or beats it. */
static void
pref001_route(const struct ru_route *r, void *arg)
{
    struct dev_walk *w = arg;
    char seen[256], exp[128];

    if (!r->best)
        return;
    w->routes++;
    /* A WAN router that reaches Microsoft through an IGP default or summary: the routers it leads to decide. */
    if (!r->er && !r->inet && ru_path_igp(r->best) && ru_is_role(w->dev, "wan")) {
        if (!w->igp++)
            snprintf(w->first_igp, sizeof w->first_igp, "%s via %s, next hop %s", model_str(r->route, "prefix"),
                    model_str(r->best, "protocol"), model_str(r->best, "next-hop") ? model_str(r->best, "next-hop") :
                    "unknown");
        return;
    }
    if (r->inet) {
        w->any_inet = 1;
        if (r->inet_lp > w->inet_max)
            w->inet_max = r->inet_lp;
    }
    if (r->er && r->inet && r->inet_lp >= r->er_lp) {
        snprintf(seen, sizeof seen, "Internet path via %s local-pref %" PRIu32 "; ExpressRoute path via %s local-pref %"
                PRIu32, model_str(r->inet, "source"), r->inet_lp, model_str(r->er, "source"), r->er_lp);
        snprintf(exp, sizeof exp, "ExpressRoute path preferred (local-pref > %" PRIu32 ")", r->inet_lp);
        report_route(w, r, seen, exp, "can leave over the Internet: its local preference is not below ExpressRoute's");
    } else if (r->best_via != RU_VIA_ER) {
        snprintf(seen, sizeof seen, "best path via %s (%s), local-pref %" PRIu32 "%s", model_str(r->best, "source"),
                via_name(r->best_via), ru_path_lp(r->best), r->er ? "" : "; no ExpressRoute path");
        report_route(w, r, seen, "best path learned from a Microsoft (AS 12076) neighbor",
                "does not leave over ExpressRoute");
    }
}

/* PREF-002 on one route: even the least preferred ExpressRoute path beats the Internet. */
static void
pref002_route(const struct ru_route *r, void *arg)
{
    struct dev_walk *w = arg;
    char seen[256], exp[128];

    if (!r->er)
        return;
    w->routes++;
    if (!w->any_er || r->er_lp_min < w->er_min)
        w->er_min = r->er_lp_min;
    w->any_er = 1;
    if (!r->inet)
        return;
    w->any_inet = 1;
    if (r->inet_lp > w->inet_max)
        w->inet_max = r->inet_lp;
    if (r->er_lp_min <= r->inet_lp) {
        snprintf(seen, sizeof seen, "lowest ExpressRoute path local-pref %" PRIu32 ", Internet path via %s local-pref %"
                PRIu32, r->er_lp_min, model_str(r->inet, "source"), r->inet_lp);
        snprintf(exp, sizeof exp, "every ExpressRoute path local-pref > %" PRIu32, r->inet_lp);
        report_route(w, r, seen, exp, "would fail over to the Internet, not to the other ExpressRoute path");
    }
}

/* Walk the RIB of every edge device that has one; returns how many had none. */
static size_t
walk_ribs(struct rule_ctx *rc, const struct ru_net *n, int failover, const char **first_norib)
{
    struct lyd_node *dev;
    size_t norib = 0;

    MODEL_FOR(rc->m->net, "device", dev) {
        struct dev_walk w = {.rc = rc, .dev = dev, .failover = failover};
        size_t unc = 0;
        struct pfx first;
        char seen[256], pbuf[PFX_STRLEN];
        struct evidence ev = {.seen = seen, .source = SRC_STATE};

        if (!ru_role_in(dev, PREF_EDGE_ROLES) || ru_is_failed(dev))
            continue;
        if (!ru_rib(dev)) {
            if (!norib++)
                *first_norib = ru_name(dev);
            continue;
        }
        if (ru_ms_routes(n, dev, failover ? pref002_route : pref001_route, &w, &unc, &first) < 0) {
            if (!rc->rc)
                rc->rc = ER_ENOMEM;
            return norib;
        }
        ev.path = model_path(ru_rib(dev));
        if (w.bad > w.shown) {
            snprintf(seen, sizeof seen, "%zu more routes like the ones above", w.bad - w.shown);
            ev.expected = "ExpressRoute preferred";
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: %zu more routes toward Microsoft prefixes fail (routing table)",
                    ru_name(dev), w.bad - w.shown);
        }
        if (!failover && unc) {
            snprintf(seen, sizeof seen, "%zu Microsoft prefixes without any route, e.g. %s", unc,
                    pfx_format(&first, pbuf));
            ev.expected = "a route via ExpressRoute for every Microsoft prefix";
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: no route toward %zu Microsoft prefixes (routing table)",
                    ru_name(dev), unc);
        }
        if (w.bad || (!failover && unc))
            continue;
        if (w.igp) {
            rule_skip(rc, ru_name(dev), NULL, "%s: reaches %zu Microsoft prefix%s through IGP or static routes (e.g. "
                    "%s): whether they leave over ExpressRoute is decided by the routers those lead to", ru_name(dev),
                    w.igp, w.igp == 1 ? "" : "es", w.first_igp);
            continue;
        }
        if (!w.routes) {
            rule_skip(rc, ru_name(dev), NULL, "%s: no %s in the routing table to judge", ru_name(dev),
                    failover ? "ExpressRoute path toward Microsoft prefixes" : "route toward Microsoft prefixes");
            continue;
        }
        if (w.any_inet)
            snprintf(seen, sizeof seen, "%zu routes toward Microsoft prefixes, best via ExpressRoute; Internet paths at "
                    "local-pref %" PRIu32 " or less", w.routes, w.inet_max);
        else
            snprintf(seen, sizeof seen, "%zu routes toward Microsoft prefixes, best via ExpressRoute; no Internet path",
                    w.routes);
        ev.expected = "ExpressRoute preferred";
        rule_pass(rc, ru_name(dev), NULL, &ev, "%s: Microsoft prefixes prefer ExpressRoute (routing table)",
                ru_name(dev));
    }
    return norib;
}

/* ---- the configuration view: import policies evaluated for Microsoft routes ---- */

/* Highest local preference an Internet neighbor's import gives the Microsoft prefix of @p r. */
static int
pref_inet_best(const struct ru_net *n, const struct pe_route *r, uint32_t *lp, const struct ru_nb **which,
        struct pe_result *res)
{
    struct pe_route ir;
    struct pe_result x;
    size_t i;
    int any = 0;

    pe_inet_route(r->prefix_known ? &r->prefix : NULL, &ir);
    for (i = 0; i < n->n_inet; i++) {
        if (!ru_has_config(n->inet[i].dev))
            continue;
        pe_eval(n->inet[i].dev, n->inet[i].nb, 1, &ir, &x);
        if (!x.accepted || (any && x.local_pref <= *lp))
            continue;
        any = 1;
        *lp = x.local_pref;
        *which = &n->inet[i];
        *res = x;
    }
    return any;
}

static void
pref_where(char *buf, size_t size, const struct ru_nb *x, const struct pe_result *res)
{
    if (res->policy)
        snprintf(buf, size, "%s on %s, %s/%s", x->addr, x->dev_name, res->policy, res->term);
    else
        snprintf(buf, size, "%s on %s, %s", x->addr, x->dev_name, res->lp_set ? "local-preference set on the neighbor"
                : res->no_policy ? "no import policy" : res->default_known ? "the neighbor's default import policy"
                : "no term decided");
}

/* PREF-001 in the configuration: for each Microsoft route, the best ExpressRoute session beats the Internet. */
static size_t
pref001_config(struct rule_ctx *rc, const struct ru_net *n)
{
    struct pe_routes *rt = calloc(1, sizeof *rt);
    size_t i, k, judged = 0;

    if (!rt) {
        rc->rc = ER_ENOMEM;
        return 0;
    }
    pe_ms_routes(rc->m->net, rc->ref, rt);
    for (k = 0; k < rt->n; k++) {
        const struct pe_route *r = &rt->v[k];
        const struct ru_nb *best = NULL, *inet = NULL;
        struct pe_result bres = {0}, ires = {0}, x;
        uint32_t inet_lp = 0;
        char seen[512], exp[160], w1[160], w2[160];
        struct evidence ev = {.seen = seen, .expected = exp, .source = SRC_CONFIG};
        int has_inet, uncertain = 0;

        for (i = 0; i < n->n_ms; i++) {
            if (!ru_has_config(n->ms[i].dev))
                continue;
            pe_eval(n->ms[i].dev, n->ms[i].nb, 1, r, &x);
            uncertain |= x.uncertain;
            if (x.accepted && (!best || x.local_pref > bres.local_pref)) {
                best = &n->ms[i];
                bres = x;
            }
            if (!best && !ev.path)
                ev.path = model_path(n->ms[i].nb);
        }
        if (!best && !ev.path)
            continue;
        judged++;
        has_inet = pref_inet_best(n, r, &inet_lp, &inet, &ires);
        if (best)
            ev.path = model_path(best->nb);
        if (!best) {
            snprintf(seen, sizeof seen, "every Microsoft session's import policy rejects %s", r->label);
            snprintf(exp, sizeof exp, "accepted from Microsoft with a local preference above the Internet's");
            rule_fail(rc, NULL, NULL, &ev, "%s: no ExpressRoute session accepts them, so they take the Internet (config)",
                    r->label);
            continue;
        }
        pref_where(w1, sizeof w1, best, &bres);
        if (!has_inet) {
            snprintf(seen, sizeof seen, "local-pref %" PRIu32 " via %s; no Internet neighbor accepts them", bres.local_pref,
                    w1);
            snprintf(exp, sizeof exp, "ExpressRoute preferred");
            rule_pass(rc, best->dev_name, best->circuit, &ev, "%s: only ExpressRoute carries them (config)", r->label);
            continue;
        }
        pref_where(w2, sizeof w2, inet, &ires);
        snprintf(seen, sizeof seen, "ExpressRoute local-pref %" PRIu32 " via %s; Internet local-pref %" PRIu32 " via %s%s",
                bres.local_pref, w1, inet_lp, w2, uncertain ? " (some policy conditions could not be judged)" : "");
        snprintf(exp, sizeof exp, "ExpressRoute local-pref above %" PRIu32, inet_lp);
        if (bres.local_pref > inet_lp)
            rule_pass(rc, best->dev_name, best->circuit, &ev, "%s: ExpressRoute (local-pref %" PRIu32
                    ") beats the Internet (%" PRIu32 ") (config)", r->label, bres.local_pref, inet_lp);
        else
            rule_fail(rc, best->dev_name, best->circuit, &ev, "%s: the Internet (local-pref %" PRIu32
                    ") is preferred over or ties with ExpressRoute (%" PRIu32 ") (config)", r->label, inet_lp,
                    bres.local_pref);
    }
    free(rt);
    return judged;
}

/* PREF-002 in the configuration: every Microsoft session on its own still beats the Internet. */
static size_t
pref002_config(struct rule_ctx *rc, const struct ru_net *n)
{
    struct pe_routes *rt = calloc(1, sizeof *rt);
    struct {
        int has;
        uint32_t lp;
        const struct ru_nb *nb;
        struct pe_result res;
    } *inet;
    size_t i, k, judged = 0;

    if (!rt) {
        rc->rc = ER_ENOMEM;
        return 0;
    }
    pe_ms_routes(rc->m->net, rc->ref, rt);
    /* The Internet's best offer per route is the same for every session: once. */
    inet = calloc(rt->n ? rt->n : 1, sizeof *inet);
    if (!inet) {
        free(rt);
        rc->rc = ER_ENOMEM;
        return 0;
    }
    for (k = 0; k < rt->n; k++)
        inet[k].has = pref_inet_best(n, &rt->v[k], &inet[k].lp, &inet[k].nb, &inet[k].res);
    for (i = 0; i < n->n_ms; i++) {
        const struct ru_nb *x = &n->ms[i];
        char seen[512], exp[160], w1[160], w2[160];
        struct evidence ev = {.path = model_path(x->nb), .seen = seen, .expected = exp, .source = SRC_CONFIG};
        uint32_t lowest = UINT32_MAX, inet_top = 0;
        int bad = 0;

        if (!ru_has_config(x->dev))
            continue;
        judged++;
        for (k = 0; k < rt->n && !bad; k++) {
            struct pe_result res;
            uint32_t inet_lp = inet[k].lp;
            int has_inet = inet[k].has;

            const char *undef;

            pe_eval(x->dev, x->nb, 1, &rt->v[k], &res);
            pref_where(w1, sizeof w1, x, &res);
            if ((undef = pe_undefined(x->dev, x->nb, 1))) {
                /* A policy that could not be read is not judged as if it were empty. */
                rule_skip(rc, x->dev_name, x->circuit, "%s: import policy %s of %s is not defined or could not be "
                        "read (see the device's collection reason)", x->dev_name, undef, x->addr);
                bad = 1;
            } else if (!res.accepted) {
                snprintf(seen, sizeof seen, "%s rejected by %s", rt->v[k].label, w1);
                snprintf(exp, sizeof exp, "accepted with a local preference above the Internet's");
                rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: if the other path fails, %s from %s go to the "
                        "Internet: its import policy rejects them (config)", x->dev_name, rt->v[k].label, x->addr);
                bad = 1;
            } else if (has_inet && res.local_pref <= inet_lp) {
                pref_where(w2, sizeof w2, inet[k].nb, &inet[k].res);
                snprintf(seen, sizeof seen, "%s: local-pref %" PRIu32 " via %s; Internet local-pref %" PRIu32 " via %s",
                        rt->v[k].label, res.local_pref, w1, inet_lp, w2);
                snprintf(exp, sizeof exp, "every ExpressRoute session's local-pref above %" PRIu32, inet_lp);
                rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: routes from Microsoft neighbor %s get local-pref %" PRIu32
                        ", not above the Internet's %" PRIu32 " (config)", x->dev_name, x->addr, res.local_pref, inet_lp);
                bad = 1;
            } else {
                if (res.local_pref < lowest)
                    lowest = res.local_pref;
                if (has_inet && inet_lp > inet_top)
                    inet_top = inet_lp;
            }
        }
        if (bad)
            continue;
        snprintf(seen, sizeof seen, "lowest local-pref %" PRIu32 " from %s over %zu Microsoft route%s; Internet at most %"
                PRIu32, lowest, x->addr, rt->n, rt->n == 1 ? "" : "s", inet_top);
        snprintf(exp, sizeof exp, "ExpressRoute local-pref above the Internet's");
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: routes from %s (local-pref %" PRIu32
                ") beat Internet routes (%" PRIu32 ") (config)", x->dev_name, x->addr, lowest, inet_top);
    }
    free(inet);
    free(rt);
    return judged;
}

/* PREF-001: Microsoft prefixes leave via ExpressRoute; judged in the routing table and in the configuration. */
void
pref001_check(struct rule_ctx *rc)
{
    struct ru_net n;
    const char *first = NULL;
    size_t norib = 0, judged;

    ru_skip_failed(rc, PREF_EDGE_ROLES);
    if (ru_net_build(rc, &n) || ru_net_svc(&n))
        goto cleanup;
    if (!n.n_svc && !n.n_ms) {
        rule_skip(rc, NULL, NULL, "no Microsoft prefixes (no services data, no route from AS %" PRIu32
                ") and no Microsoft neighbor", n.ms_as);
        goto cleanup;
    }
    if (n.n_svc)
        norib = walk_ribs(rc, &n, 0, &first);
    judged = pref001_config(rc, &n);
    if (!judged && (!n.n_svc || norib))
        rule_skip(rc, first, NULL, "%s%s: neither a routing table nor import policy configuration to judge",
                first ? first : "the edge devices", first && norib > 1 ? " and others" : "");
cleanup:
    ru_net_free(&n);
}

/* PREF-002: the failover ExpressRoute path still beats the Internet; configuration and routing table. */
void
pref002_check(struct rule_ctx *rc)
{
    struct ru_net n;
    struct lyd_node *c;
    const char *first = NULL;
    size_t circuits = 0, judged;

    ru_skip_failed(rc, PREF_EDGE_ROLES);
    if (ru_net_build(rc, &n))
        return;
    MODEL_FOR(rc->m->net, "circuit", c)
        circuits++;
    if (n.n_ms < 2 && circuits < 2) {
        rule_skip(rc, NULL, NULL, "only %zu ExpressRoute session and %zu circuit: no failover path to judge", n.n_ms,
                circuits);
        goto cleanup;
    }
    /* The policies say what happens after a failure; a RIB only shows the paths of today. */
    judged = pref002_config(rc, &n);
    if (ru_net_svc(&n))
        goto cleanup;
    if (walk_ribs(rc, &n, 1, &first) && first && !judged)
        rule_skip(rc, first, NULL, "%s: neither import policies nor a routing table collected", first);
cleanup:
    ru_net_free(&n);
}

const char *const pref001_paths[] = {"/eraudit-network:network/services/prefix-set/prefix",
    RU_DEV "/rib/route/prefix", RU_DEV "/rib/route/path/source", RU_DEV "/rib/route/path/local-preference",
    RU_DEV "/rib/route/path/as-path", RU_DEV "/rib/route/path/best", RU_NB "/peer-as", RU_NB "/local-preference",
    RU_NB "/import-policy", RU_DEV "/policy/term/set-local-preference", RU_DEV "/policy/default-action",
    RU_DEV "/policy/term/match-prefix-set", RU_DEV "/policy/term/match-community-set", RU_DEV "/policy/term/match-as-path",
    RU_DEV "/prefix-set/entry/range", RU_DEV "/community-set/member", "/eraudit-network:network/tenant/azure-region",
    RU_NB "/default-import", RU_DEV "/policy/term/match-prefix-set-options",
    RU_DEV "/policy/term/match-community-set-options", RU_DEV "/community-set/match-set-options", NULL};
const char *const pref002_paths[] = {RU_CIRC "/primary/neighbor", RU_CIRC "/secondary/neighbor",
    RU_NB "/peer-as", RU_NB "/local-preference", RU_NB "/import-policy", RU_DEV "/policy/term/set-local-preference",
    RU_DEV "/rib/route/path/local-preference", RU_NB "/default-import", NULL};
