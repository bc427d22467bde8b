/**
 * @file wan.c
 * @brief The WAN between users and the ExpressRoute edge: routes reach the
 * WAN (PREF-003, checklist "Peering"/routing) and the WAN links are fast
 * enough and not saturated (WAN-001, checklist "WAN performance").
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

struct wan_walk {
    size_t routes, without_er, igp;
    char first[PFX_STRLEN + 64], first_igp[PFX_STRLEN + 128];
};

static void
wan_route(const struct ru_route *r, void *arg)
{
    struct wan_walk *w = arg;

    w->routes++;
    if (r->er)
        return;
    /* Through an IGP default or summary: the routers it leads to decide, not this one. */
    if (r->best && ru_path_igp(r->best)) {
        if (!w->igp++)
            snprintf(w->first_igp, sizeof w->first_igp, "%s via %s, next hop %s", model_str(r->route, "prefix"),
                    model_str(r->best, "protocol"), model_str(r->best, "next-hop") ? model_str(r->best, "next-hop") :
                    "unknown");
        return;
    }
    if (!w->without_er++)
        snprintf(w->first, sizeof w->first, "%s (best via %s)", model_str(r->route, "prefix"),
                r->best ? model_str(r->best, "source") : "nothing");
}

/* PREF-003: the routes learned over ExpressRoute reach the WAN routers that serve users. */
void
pref003_check(struct rule_ctx *rc)
{
    struct ru_net n;
    struct lyd_node *dev;
    int any = 0;

    if (ru_net_build(rc, &n) || ru_net_svc(&n))
        goto cleanup;
    MODEL_FOR(rc->m->net, "device", dev) {
        struct wan_walk w = {0};
        size_t unc;
        struct pfx first;
        char seen[512], pbuf[PFX_STRLEN];
        struct evidence ev = {.seen = seen, .expected = "a route with an ExpressRoute path for every Microsoft prefix",
            .source = SRC_STATE};

        if (!ru_is_role(dev, "wan"))
            continue;
        any = 1;
        if (ru_failed(rc, dev))
            continue;
        if (!ru_rib(dev)) {
            rule_skip(rc, ru_name(dev), NULL, "%s: no routing table collected", ru_name(dev));
            continue;
        }
        if (!n.n_svc) {
            rule_skip(rc, ru_name(dev), NULL, "%s: no Microsoft prefixes known (no services data and no route from "
                    "AS %" PRIu32 ")", ru_name(dev), n.ms_as);
            continue;
        }
        if (ru_ms_routes(&n, dev, wan_route, &w, &unc, &first) < 0) {
            rc->rc = ER_ENOMEM;
            goto cleanup;
        }
        ev.path = model_path(ru_rib(dev));
        if (unc || w.without_er) {
            snprintf(seen, sizeof seen, "%zu Microsoft prefixes without a route%s%s; %zu routes without an "
                    "ExpressRoute path%s%s", unc, unc ? ", e.g. " : "", unc ? pfx_format(&first, pbuf) : "",
                    w.without_er, w.without_er ? ", e.g. " : "", w.without_er ? w.first : "");
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: the ExpressRoute routes do not reach this WAN router for %zu "
                    "Microsoft prefixes (routing table)", ru_name(dev), unc + w.without_er);
        } else if (w.igp) {
            rule_skip(rc, ru_name(dev), NULL, "%s: reaches %zu Microsoft prefix%s through IGP or static routes (e.g. %s): "
                    "whether they leave over ExpressRoute is decided by the routers those lead to", ru_name(dev), w.igp,
                    w.igp == 1 ? "" : "es", w.first_igp);
        } else {
            snprintf(seen, sizeof seen, "%zu routes toward Microsoft prefixes, each with an ExpressRoute path",
                    w.routes);
            rule_pass(rc, ru_name(dev), NULL, &ev, "%s: the ExpressRoute routes reach this WAN router (routing table)",
                    ru_name(dev));
        }
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no device with role wan in the inventory");
cleanup:
    ru_net_free(&n);
}

/* The circuits' bandwidth and the users of every site, summed once (not once per device). */
struct wan_totals {
    uint64_t bw, all;
    const struct lyd_node *tenant;
};

static void
wan_totals(const struct rule_ctx *rc, struct wan_totals *w)
{
    struct lyd_node *c, *s;
    uint64_t v;

    memset(w, 0, sizeof *w);
    w->tenant = model_child(rc->m->net, "tenant");
    MODEL_FOR(rc->m->net, "circuit", c) {
        if (model_u64(c, "bandwidth-mbps", &v))
            w->bw += v;
    }
    MODEL_FOR(w->tenant, "user-site", s) {
        if (model_u64(s, "users", &v))
            w->all += v;
    }
}

/* Share of the circuits' bandwidth the users at @p site carry, in Mb/s; 0 when not known. */
static uint64_t
site_share_mbps(const struct wan_totals *w, const char *site)
{
    uint64_t users = 0;

    /* user-site is keyed by name: the one entry of the site. */
    if (!site || !w->bw || !w->all || !model_u64(model_find(w->tenant, "user-site", site), "users", &users))
        return 0;
    return users ? (w->bw * users + w->all - 1) / w->all : 0;
}

/* WAN-001: WAN links carry their share of the circuits and are not saturated. */
void
wan001_check(struct rule_ctx *rc)
{
    uint64_t max_util = ref_limit(rc->ref, "wan-utilization-max-percent", 80);
    struct lyd_node *dev, *ifc;
    struct wan_totals tot;
    int any = 0;

    wan_totals(rc, &tot);
    MODEL_FOR(rc->m->net, "device", dev) {
        uint64_t share = site_share_mbps(&tot, model_str(dev, "site"));
        size_t judged = 0;

        if (!ru_is_role(dev, "wan"))
            continue;
        any = 1;
        if (ru_failed(rc, dev))
            continue;
        MODEL_FOR(dev, "interface", ifc) {
            const char *name = model_str(ifc, "name"), *oper = model_str(ifc, "oper-status");
            uint64_t speed = 0, in = 0, out = 0;
            int has_in = model_u64(ifc, "in-utilization", &in), has_out = model_u64(ifc, "out-utilization", &out);
            char seen[256], exp[160];
            struct evidence ev = {.path = model_path(ifc), .seen = seen, .expected = exp, .source = SRC_STATE};
            uint64_t util = in > out ? in : out;

            if (!model_u64(ifc, "speed", &speed) || !speed || !model_bool(ifc, "enabled", 1) ||
                    (oper && strcmp(oper, "up")) || !strncmp(name, "lo", 2))
                continue;
            if (!has_in && !has_out && !share)
                continue;
            judged++;
            snprintf(exp, sizeof exp, "utilization below %" PRIu64 "%%%s", max_util, share ? ", speed at least " : "");
            if (share)
                snprintf(exp + strlen(exp), sizeof exp - strlen(exp), "%" PRIu64 " Mb/s (the site's share of the "
                        "circuits)", share);
            snprintf(seen, sizeof seen, "%s: %" PRIu64 " Mb/s", name, speed / 1000000);
            if (has_in || has_out)
                snprintf(seen + strlen(seen), sizeof seen - strlen(seen), ", utilization in %" PRIu64 "%% out %"
                        PRIu64 "%%", in, out);
            if ((has_in || has_out) && util >= max_util) {
                rule_fail(rc, ru_name(dev), NULL, &ev, "%s: WAN link %s is saturated (%" PRIu64 "%% used): ExpressRoute "
                        "cannot make up for it", ru_name(dev), name, util);
            } else if (share && speed / 1000000 < share) {
                rule_fail(rc, ru_name(dev), NULL, &ev, "%s: WAN link %s (%" PRIu64 " Mb/s) is slower than the site's "
                        "share of the circuits (%" PRIu64 " Mb/s)", ru_name(dev), name, speed / 1000000, share);
            } else {
                rule_pass(rc, ru_name(dev), NULL, &ev, "%s: WAN link %s has room for its ExpressRoute traffic",
                        ru_name(dev), name);
            }
        }
        if (!judged)
            rule_skip(rc, ru_name(dev), NULL, "%s: no interface utilization (two IF-MIB samples) and no user count "
                    "for its site to judge the WAN links", ru_name(dev));
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no device with role wan in the inventory");
}

const char *const pref003_paths[] = {RU_DEV "/role", RU_DEV "/rib/route/path/as-path",
    "/eraudit-network:network/services/prefix-set/prefix", NULL};
const char *const wan001_paths[] = {RU_DEV "/interface/speed", RU_DEV "/interface/in-utilization",
    RU_DEV "/interface/out-utilization", RU_CIRC "/bandwidth-mbps", "/eraudit-network:network/tenant/user-site/users",
    NULL};
