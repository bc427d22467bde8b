/**
 * @file geography.c
 * @brief Geography and SKU (checklist "Geographical distribution").
 */
#include <stdio.h>
#include <string.h>

#include "view.h"

#define GEO_MAX 64

struct geo_set {
    const char *geo[GEO_MAX], *why[GEO_MAX];   /* geopolitical region, and the region that put it there */
    size_t n;
};

static int
same_geo(const struct refdata *ref, const char *a, const char *b)
{
    char fa[128], fb[128];

    return !strcmp(ref_fold(a, fa, sizeof fa), ref_fold(b, fb, sizeof fb));
}

static void
geo_add(const struct refdata *ref, struct geo_set *s, const char *geo, const char *why)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (same_geo(ref, s->geo[i], geo))
            return;
    }
    if (s->n < GEO_MAX) {
        s->geo[s->n] = geo;
        s->why[s->n++] = why;
    }
}

/* Geopolitical regions of the tenant's environment; unknown Azure regions go to @p unknown. */
static void
tenant_geos(const struct rule_ctx *rc, struct geo_set *s, const char **unknown)
{
    struct lyd_node *t = model_child(rc->m->net, "tenant"), *x;
    const char *const *regs;
    const char *pp = model_str(t, "power-platform-region"), *g;
    size_t i, k;

    memset(s, 0, sizeof *s);
    *unknown = NULL;
    MODEL_FOR(t, "azure-region", x) {
        if ((g = ref_region_geo(rc->ref, model_value(x))))
            geo_add(rc->ref, s, g, model_value(x));
        else
            *unknown = model_value(x);
    }
    if (pp) {
        k = ref_pp_regions(rc->ref, pp, &regs);
        for (i = 0; i < k; i++) {
            if ((g = ref_region_geo(rc->ref, regs[i])))
                geo_add(rc->ref, s, g, regs[i]);
        }
    }
    MODEL_FOR(t, "geo-region", x)
        geo_add(rc->ref, s, model_value(x), "tenant geo-region");
}

/* GEO-001: a Standard circuit only reaches its own geopolitical region. */
void
geo001_check(struct rule_ctx *rc)
{
    struct lyd_node *c;
    struct geo_set tg;
    const char *unknown;
    int any = 0;

    tenant_geos(rc, &tg, &unknown);
    MODEL_FOR(rc->m->net, "circuit", c) {
        const char *name = model_str(c, "name"), *sku = model_str(c, "sku"), *loc = model_str(c, "peering-location");
        const char *cg = model_str(c, "geo-region");
        char seen[512], exp[256];
        struct evidence ev = {.path = NULL, .seen = seen, .expected = exp, .source = SRC_INVENTORY};
        size_t i, off = 0;
        int far = 0;

        any = 1;
        if (!cg && loc)
            cg = ref_location_geo(rc->ref, loc);
        if (!tg.n) {
            rule_skip(rc, NULL, name, "circuit %s: the tenant's Azure regions are %s", name,
                    unknown ? "not in the reference data" : "not declared in the inventory (tenant: azure-regions "
                    "or power-platform-region)");
            continue;
        }
        if (!cg) {
            rule_skip(rc, NULL, name, "circuit %s: peering location '%s' is not in the reference data and no "
                    "geo-region is declared", name, loc ? loc : "(none)");
            continue;
        }
        seen[0] = '\0';
        for (i = 0; i < tg.n; i++) {
            if (same_geo(rc->ref, cg, tg.geo[i]))
                continue;
            far = 1;
            off += (size_t)snprintf(seen + off, off < sizeof seen ? sizeof seen - off : 0, "%s%s (%s)",
                    off ? ", " : "", tg.geo[i], tg.why[i]);
            if (off >= sizeof seen)
                break;
        }
        ev.path = model_path(c);
        if (sku && !strcmp(sku, "premium")) {
            snprintf(seen, sizeof seen, "sku premium at %s (%s)", loc ? loc : "?", cg);
            snprintf(exp, sizeof exp, "premium where the environment's regions are in another geopolitical region");
            rule_pass(rc, NULL, name, &ev, "circuit %s: Premium reaches every geopolitical region%s", name,
                    far ? " (needed here)" : "");
            continue;
        }
        if (far) {
            char tmp[768];

            snprintf(tmp, sizeof tmp, "sku %s at %s (%s); environment regions in %s", sku ? sku : "?", loc ? loc : "?",
                    cg, seen);
            snprintf(seen, sizeof seen, "%s", tmp);
            snprintf(exp, sizeof exp, "premium (the environment is outside %s)", cg);
            rule_fail(rc, NULL, name, &ev, "circuit %s: %s SKU at %s cannot reach the environment's regions outside %s",
                    name, sku ? sku : "?", loc ? loc : "?", cg);
        } else {
            snprintf(seen, sizeof seen, "sku %s at %s (%s); environment regions in %s too", sku ? sku : "?",
                    loc ? loc : "?", cg, cg);
            snprintf(exp, sizeof exp, "the environment's regions in %s", cg);
            rule_pass(rc, NULL, name, &ev, "circuit %s: the environment is in the circuit's geopolitical region (%s)",
                    name, cg);
        }
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no circuit in the inventory");
}

/* 1 when Azure region @p r is among @p list (folded names). */
static int
region_in(const char *r, const char *const *list, size_t n)
{
    char a[128], b[128];
    size_t i;

    ref_fold(r, a, sizeof a);
    for (i = 0; i < n; i++) {
        if (!strcmp(a, ref_fold(list[i], b, sizeof b)))
            return 1;
    }
    return 0;
}

/* GEO-002: a Local circuit reaches only the one or two Azure regions of its metro. */
void
geo002_check(struct rule_ctx *rc)
{
    struct lyd_node *c, *t = model_child(rc->m->net, "tenant"), *x;
    int any = 0;

    MODEL_FOR(rc->m->net, "circuit", c) {
        const char *name = model_str(c, "name"), *sku = model_str(c, "sku"), *loc = model_str(c, "peering-location");
        const char *const *local;
        char seen[512], exp[256], missing[256] = "", reach[256] = "";
        struct evidence ev = {.path = model_path(c), .seen = seen, .expected = exp, .source = SRC_INVENTORY};
        size_t n, i, om = 0, oreach = 0, nt = 0;

        any = 1;
        if (!sku || strcmp(sku, "local")) {
            snprintf(seen, sizeof seen, "sku %s", sku ? sku : "?");
            snprintf(exp, sizeof exp, "a Local circuit only where the environment's regions are in its metro");
            rule_pass(rc, NULL, name, &ev, "circuit %s: %s SKU is not limited to the regions of its metro", name,
                    sku ? sku : "?");
            continue;
        }
        n = ref_location_local_regions(rc->ref, loc, &local);
        for (i = 0; i < n; i++)
            oreach += (size_t)snprintf(reach + oreach, oreach < sizeof reach ? sizeof reach - oreach : 0, "%s%s",
                    oreach ? ", " : "", ref_region_display(rc->ref, local[i]));
        MODEL_FOR(t, "azure-region", x) {
            nt++;
            if (!region_in(model_value(x), local, n))
                om += (size_t)snprintf(missing + om, om < sizeof missing ? sizeof missing - om : 0, "%s%s",
                        om ? ", " : "", ref_region_display(rc->ref, model_value(x)));
        }
        if (!nt) {
            rule_skip(rc, NULL, name, "circuit %s: the tenant's Azure regions are not declared in the inventory", name);
            continue;
        }
        snprintf(exp, sizeof exp, "every Azure region of the environment among the Local regions");
        snprintf(seen, sizeof seen, "Local at %s reaches %s", loc ? loc : "?", n ? reach : "no region (Local not offered)");
        if (om)
            rule_fail(rc, NULL, name, &ev, "circuit %s: Local SKU at %s does not reach %s", name, loc ? loc : "?",
                    missing);
        else
            rule_pass(rc, NULL, name, &ev, "circuit %s: Local SKU at %s reaches every region of the environment",
                    name, loc ? loc : "?");
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no circuit in the inventory");
}

/* The geopolitical region of a national cloud, NULL for the public cloud. */
static const char *
cloud_geo(const char *cloud)
{
    if (cloud && (!strcmp(cloud, "gcc-high") || !strcmp(cloud, "dod")))
        return "US Government";
    if (cloud && !strcmp(cloud, "china"))
        return "China";
    return NULL;
}

/* GEO-003: national clouds need ExpressRoute of their own cloud, and the public cloud not theirs. */
void
geo003_check(struct rule_ctx *rc)
{
    struct lyd_node *c;
    const char *cloud = model_str(model_child(rc->m->net, "tenant"), "cloud");
    const char *want = cloud_geo(cloud ? cloud : "public");
    int any = 0;

    MODEL_FOR(rc->m->net, "circuit", c) {
        const char *name = model_str(c, "name"), *loc = model_str(c, "peering-location");
        const char *cg = model_str(c, "geo-region");
        char seen[256], exp[256];
        struct evidence ev = {.path = model_path(c), .seen = seen, .expected = exp, .source = SRC_INVENTORY};
        int national;

        any = 1;
        if (!cg && loc)
            cg = ref_location_geo(rc->ref, loc);
        if (!cg) {
            rule_skip(rc, NULL, name, "circuit %s: peering location '%s' is not in the reference data", name,
                    loc ? loc : "(none)");
            continue;
        }
        national = !strcmp(cg, "US Government") || !strcmp(cg, "China");
        snprintf(seen, sizeof seen, "tenant cloud %s; circuit at %s (%s)", cloud ? cloud : "public", loc ? loc : "?", cg);
        if (want) {
            snprintf(exp, sizeof exp, "a circuit at a %s ExpressRoute location", want);
            if (strcmp(cg, want))
                rule_fail(rc, NULL, name, &ev, "circuit %s: a %s environment needs ExpressRoute of its own cloud "
                        "(%s), not a location in %s", name, cloud, want, cg);
            else
                rule_pass(rc, NULL, name, &ev, "circuit %s: a %s location serves the %s environment", name, want, cloud);
        } else {
            snprintf(exp, sizeof exp, "a commercial (public cloud) ExpressRoute location");
            if (national)
                rule_fail(rc, NULL, name, &ev, "circuit %s: a location of the %s cloud cannot reach a %s environment",
                        name, cg, cloud ? cloud : "public");
            else
                rule_pass(rc, NULL, name, &ev, "circuit %s: a commercial location for a %s environment", name,
                        cloud ? cloud : "public");
        }
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no circuit in the inventory");
}

/* Interface of the circuit end @p end (its device and the interface holding Microsoft's address). */
static const char *
end_port(struct rule_ctx *rc, const struct lyd_node *end)
{
    struct lyd_node *dev = model_find_device(rc->m, model_str(end, "device") ? model_str(end, "device") : "");
    struct lyd_node *ifc;
    struct pfx a;

    if (!dev || ru_pfx(model_str(end, "neighbor"), &a) || !(ifc = ru_iface_for(rc, dev, &a, NULL)))
        return NULL;
    return model_str(ifc, "name");
}

/* GEO-004 part one: the two sessions of a circuit end on different devices and ports. */
static int
geo004_ends(struct rule_ctx *rc, const struct lyd_node *c)
{
    const struct lyd_node *p = model_child(c, "primary"), *s = model_child(c, "secondary");
    const char *name = model_str(c, "name"), *pd = model_str(p, "device"), *sd = model_str(s, "device");
    const char *pp, *sp;
    char seen[256];
    struct evidence ev = {.path = model_path(c), .seen = seen, .expected = "primary and secondary on different devices",
        .source = SRC_INVENTORY};

    if (!pd || !sd) {
        rule_skip(rc, NULL, name, "circuit %s: the devices of both sessions are not declared", name);
        return 0;
    }
    if (strcmp(pd, sd)) {
        snprintf(seen, sizeof seen, "primary on %s, secondary on %s", pd, sd);
        rule_pass(rc, NULL, name, &ev, "circuit %s: the sessions end on different devices (%s, %s)", name, pd, sd);
        return 1;
    }
    pp = end_port(rc, p);
    sp = end_port(rc, s);
    if (pp && sp && !strcmp(pp, sp)) {
        snprintf(seen, sizeof seen, "both sessions on %s port %s", pd, pp);
        rule_fail(rc, pd, name, &ev, "circuit %s: primary and secondary end on the same port %s of %s", name, pp, pd);
    } else {
        snprintf(seen, sizeof seen, "both sessions on %s (ports %s, %s)", pd, pp ? pp : "?", sp ? sp : "?");
        rule_fail(rc, pd, name, &ev, "circuit %s: primary and secondary end on the same device %s: one router "
                "failure takes both down", name, pd);
    }
    return 1;
}

/* GEO-004: redundancy of circuits: ends on different devices; two locations per region where users are. */
void
geo004_check(struct rule_ctx *rc)
{
    struct lyd_node *c, *site, *t = model_child(rc->m->net, "tenant");
    const char *done[32];
    size_t nd = 0, i;
    int any = 0;

    MODEL_FOR(rc->m->net, "circuit", c)
        any = geo004_ends(rc, c) | 1;
    if (!any) {
        rule_skip(rc, NULL, NULL, "no circuit in the inventory");
        return;
    }
    /* Users in a geopolitical region: circuits at two peering locations there keep them on ExpressRoute. */
    MODEL_FOR(t, "user-site", site) {
        const char *g = model_str(site, "geo-region"), *locs[2] = {NULL, NULL};
        char seen[512], exp[160];
        struct evidence ev = {.path = model_path(site), .seen = seen, .expected = exp, .source = SRC_INVENTORY};
        size_t nl = 0;

        if (!g)
            continue;
        for (i = 0; i < nd && strcmp(done[i], g); i++)
            ;
        if (i < nd || nd == sizeof done / sizeof *done)
            continue;
        done[nd++] = g;
        MODEL_FOR(rc->m->net, "circuit", c) {
            const char *cg = model_str(c, "geo-region"), *loc = model_str(c, "peering-location");

            if (!cg && loc)
                cg = ref_location_geo(rc->ref, loc);
            if (!cg || !loc || !same_geo(rc->ref, cg, g))
                continue;
            if (!nl || (strcmp(locs[0], loc) && nl < 2))
                locs[nl++] = loc;
        }
        snprintf(exp, sizeof exp, "circuits at two peering locations in %s", g);
        if (nl >= 2) {
            snprintf(seen, sizeof seen, "users in %s; circuits at %s and %s", g, locs[0], locs[1]);
            rule_pass(rc, NULL, NULL, &ev, "users in %s are served from two peering locations", g);
        } else {
            snprintf(seen, sizeof seen, "users in %s; %s", g, nl ? "circuits at one peering location only" :
                    "no circuit in that region");
            if (nl)
                snprintf(seen + strlen(seen), sizeof seen - strlen(seen), " (%s)", locs[0]);
            rule_fail(rc, NULL, NULL, &ev, "users in %s depend on %s: a second peering location keeps them on "
                    "ExpressRoute when one fails", g, nl ? locs[0] : "circuits elsewhere");
        }
    }
}

const char *const geo001_paths[] = {RU_CIRC "/sku", RU_CIRC "/peering-location", RU_CIRC "/geo-region",
    "/eraudit-network:network/tenant/azure-region", "/eraudit-network:network/tenant/power-platform-region",
    "/eraudit-network:network/tenant/geo-region", NULL};

const char *const geo002_paths[] = {RU_CIRC "/sku", RU_CIRC "/peering-location",
    "/eraudit-network:network/tenant/azure-region", NULL};
const char *const geo003_paths[] = {RU_CIRC "/peering-location", RU_CIRC "/geo-region",
    "/eraudit-network:network/tenant/cloud", NULL};
const char *const geo004_paths[] = {RU_CIRC "/primary/device", RU_CIRC "/secondary/device",
    RU_CIRC "/primary/neighbor", "/eraudit-network:network/tenant/user-site/geo-region", NULL};
