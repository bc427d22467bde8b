/**
 * @file geography.c
 * @brief Geography and SKU (checklist "Geographical distribution").
 */
#include <stdio.h>
#include <string.h>

#include "util.h"

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
static void
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

static const char *const geo001_paths[] = {RU_CIRC "/sku", RU_CIRC "/peering-location", RU_CIRC "/geo-region",
    "/eraudit-network:network/tenant/azure-region", "/eraudit-network:network/tenant/power-platform-region",
    "/eraudit-network:network/tenant/geo-region", NULL};

const struct rule rule_geo001 = {
    .id = "GEO-001", .title = "Circuits reaching another geopolitical region are Premium",
    .section = SECT_GEO, .sev = SEV_HIGH, .needs = NEEDS_INVENTORY,
    .remediation = "Upgrade the circuit to the Premium add-on, or connect through a circuit whose peering "
                   "location is in the same geopolitical region as the Power Platform environment's Azure regions.",
    .paths = geo001_paths, .check = geo001_check};
