/**
 * @file preference.c
 * @brief BGP preference rules: ExpressRoute wins over the Internet for
 * Microsoft prefixes, also on the failover circuit (checklist "Peering").
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

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
    size_t routes, bad, shown;
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

/*
 * Config fallback: compare what the import policies set for each Microsoft
 * neighbor with the highest value any Internet neighbor gets. @p failover
 * takes the lowest value a Microsoft policy can set instead of the highest.
 */
static void
compare_config(struct rule_ctx *rc, const struct ru_net *n, int failover, const char *why)
{
    const struct ru_nb *top = NULL;
    uint32_t inet_max;
    size_t i, k, judged = 0;

    k = ru_inet_lp_max(n, &inet_max, &top);
    for (i = 0; i < n->n_ms; i++) {
        const struct ru_nb *x = &n->ms[i];
        uint32_t lo, hi, lp;
        int set;
        char seen[256], exp[128];
        struct evidence ev = {.seen = seen, .expected = exp, .source = SRC_CONFIG};

        if (!ru_has_config(x->dev))
            continue;
        judged++;
        set = ru_import_lp(x->dev, x->nb, &lo, &hi);
        lp = failover ? lo : hi;
        ev.path = model_path(x->nb);
        if (!k) {
            snprintf(seen, sizeof seen, "local-pref %" PRIu32 " from %s; no Internet BGP neighbor", lp, x->addr);
            snprintf(exp, sizeof exp, "ExpressRoute local-pref above the Internet's");
            rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: no Internet BGP path competes with %s (config%s)",
                    x->dev_name, x->addr, why);
            continue;
        }
        snprintf(seen, sizeof seen, "%slocal-pref %" PRIu32 " from %s%s; Internet neighbor %s on %s gets %" PRIu32,
                failover ? "lowest " : "", lp, x->addr, set ? "" : " (default, nothing set)", top->addr, top->dev_name,
                inet_max);
        snprintf(exp, sizeof exp, "ExpressRoute path preferred (local-pref > %" PRIu32 ")", inet_max);
        if (lp > inet_max)
            rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: routes from %s (local-pref %" PRIu32
                    ") beat Internet routes (%" PRIu32 ") (config%s)", x->dev_name, x->addr, lp, inet_max, why);
        else
            rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: routes from Microsoft neighbor %s get local-pref %" PRIu32
                    ", not above the Internet's %" PRIu32 " (config%s)", x->dev_name, x->addr, lp, inet_max, why);
    }
    if (!judged)
        rule_skip(rc, NULL, NULL, "no routing table on %s and no import policy configuration on the ExpressRoute edge",
                why[0] ? why + 2 : "the edge devices");
}

/* PREF-001: Microsoft prefixes leave via ExpressRoute. */
static void
pref001_check(struct rule_ctx *rc)
{
    struct ru_net n;
    const char *first = NULL;
    char why[160];
    size_t norib;

    ru_skip_failed(rc, PREF_EDGE_ROLES);
    if (ru_net_build(rc, &n) || ru_net_svc(&n))
        goto cleanup;
    if (!n.n_svc && !n.n_ms) {
        rule_skip(rc, NULL, NULL, "no Microsoft prefixes (no services data, no route from AS %" PRIu32
                ") and no Microsoft neighbor", n.ms_as);
        goto cleanup;
    }
    norib = n.n_svc ? walk_ribs(rc, &n, 0, &first) : 1;
    if (norib) {
        if (first)
            snprintf(why, sizeof why, ", %s%s no routing table", first, norib > 1 ? " and others have" : " has");
        else
            snprintf(why, sizeof why, ", no Microsoft prefix known");
        if (!n.n_ms)
            rule_skip(rc, NULL, NULL, "no Microsoft neighbor to compare import policies%s", why);
        else
            compare_config(rc, &n, 0, why);
    }
cleanup:
    ru_net_free(&n);
}

/* PREF-002: the failover ExpressRoute path still beats the Internet. */
static void
pref002_check(struct rule_ctx *rc)
{
    struct ru_net n;
    struct lyd_node *c;
    const char *first = NULL;
    size_t circuits = 0, i;
    int cfg = 0;

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
    for (i = 0; i < n.n_ms; i++)
        cfg |= ru_has_config(n.ms[i].dev);
    if (!cfg && ru_net_svc(&n))
        goto cleanup;
    /* The policies say what happens after a failure; a RIB only shows the paths of today. */
    if (cfg)
        compare_config(rc, &n, 1, "");
    else if (walk_ribs(rc, &n, 1, &first) && first)
        rule_skip(rc, first, NULL, "%s: neither import policies nor a routing table collected", first);
cleanup:
    ru_net_free(&n);
}

static const char *const pref001_paths[] = {"/eraudit-network:network/services/prefix-set/prefix",
    RU_DEV "/rib/route/prefix", RU_DEV "/rib/route/path/source", RU_DEV "/rib/route/path/local-preference",
    RU_DEV "/rib/route/path/as-path", RU_DEV "/rib/route/path/best", RU_NB "/peer-as", RU_NB "/local-preference",
    RU_NB "/import-policy", RU_DEV "/policy/term/set-local-preference", RU_DEV "/policy/default-action", NULL};
static const char *const pref002_paths[] = {RU_CIRC "/primary/neighbor", RU_CIRC "/secondary/neighbor",
    RU_NB "/peer-as", RU_NB "/local-preference", RU_NB "/import-policy", RU_DEV "/policy/term/set-local-preference",
    RU_DEV "/rib/route/path/local-preference", NULL};

const struct rule rule_pref001 = {
    .id = "PREF-001", .title = "Microsoft prefixes are routed over ExpressRoute, not the Internet",
    .section = SECT_PEERING, .sev = SEV_HIGH, .needs = NEEDS_CONFIG | NEEDS_STATE,
    .remediation = "Raise the local preference of routes learned from AS 12076 above every Internet-learned "
                   "route (for example 150 against the default 100) on the import policy of the Microsoft "
                   "sessions, and make sure edge and WAN routers carry those routes.",
    .paths = pref001_paths, .check = pref001_check};

const struct rule rule_pref002 = {
    .id = "PREF-002", .title = "The failover ExpressRoute path is still preferred over the Internet",
    .section = SECT_PEERING, .sev = SEV_HIGH, .needs = NEEDS_CONFIG | NEEDS_STATE,
    .remediation = "Give the secondary session and the backup circuit a local preference that is lower than the "
                   "main circuit's but still higher than any Internet route, so a circuit failure moves "
                   "traffic to the other circuit rather than to the Internet.",
    .paths = pref002_paths, .check = pref002_check};
