/**
 * @file map_xr_bgp.c
 * @brief IOS-XR BGP configuration (Cisco-IOS-XR-ipv4-bgp-cfg `bgp`) into
 * device/bgp.
 *
 * `instance/instance-as[as]/four-byte-as[as]` carries the AS in two halves
 * (as-xx.as-yy); its `default-vrf` holds `global` (router-id, bestpath as-path
 * ignore) and `bgp-entity` with `neighbor-groups` and `neighbors`. A neighbor
 * inherits its `neighbor-group-add-member` group (and that group's own, up
 * to four levels); what it sets itself overrides. Per address family
 * (`neighbor-afs/neighbor-af[af-name=ipv4-unicast]`, `neighbor-group-afs`):
 * route-policy-in/out and maximum-prefixes. Neighbors under `vrfs` belong to
 * VRFs, not to the default table, and are not read.
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XR_GROUP_DEPTH 4

/* An AS in halves (remote-as/as-xx + as-yy) as a decimal; NULL when absent or bad. */
static const char *
xr_as_pair(const struct xr_node *ra, char *buf, size_t size)
{
    char xb[16], yb[16], *e1, *e2;
    const char *x = xu_str(ra, "as-xx", xb, sizeof xb), *y = xu_str(ra, "as-yy", yb, sizeof yb);
    unsigned long hi, lo;

    if (!x || !y)
        return NULL;
    hi = strtoul(x, &e1, 10);
    lo = strtoul(y, &e2, 10);
    if (*e1 || *e2 || !*x || !*y || hi > 65535 || lo > (hi ? 65535ul : 4294967295ul))
        return NULL;
    snprintf(buf, size, "%lu", hi * 65536 + lo);
    return buf;
}

static const struct xr_node *
xr_group(const struct xr_node *parent, const char *name)
{
    const struct xr_node *g;
    char tb[NCM_TEXT];
    const char *v;

    XU_FOR(xu_child(parent, "neighbor-groups"), "neighbor-group", g) {
        if ((v = xu_str(g, "neighbor-group-name", tb, sizeof tb)) && !strcmp(v, name))
            return g;
    }
    return NULL;
}

/* Session settings of a neighbor or a group entry @p x. */
static er_code
xr_session(struct ncm *c, struct lyd_node *nb, const struct xr_node *x)
{
    const struct xr_node *n;
    char tb[NCM_TEXT], ab[32];
    const char *v;
    er_code rc = ER_OK;

    if ((n = xu_child(x, "remote-as"))) {
        if (!(v = xr_as_pair(n, ab, sizeof ab)))
            return ncm_bad(c, n, "remote-as without as-xx and as-yy numbers");
        ER_TRY(rc, ncm_leaf(c, nb, "peer-as", v, n), done);
    }
    ER_TRY(rc, ncm_copy(c, nb, "description", x, "description", NULL), done);
    if ((n = xu_child(x, "shutdown")))
        ER_TRY(rc, ncm_leaf(c, nb, "enabled", "false", n), done);
    /* Only whether a password is set (its value was redacted at collection). */
    if ((n = xu_child(x, "password")) && (xu_first(n) || ((v = xu_text(n, tb, sizeof tb)) && *v)))
        ER_TRY(rc, ncm_leaf(c, nb, "md5", "true", n), done);
    if ((n = xu_child(x, "bfd-enable-modes")) && (v = xu_text(n, tb, sizeof tb)))
        ER_TRY(rc, ncm_leaf(c, nb, "bfd", strcmp(v, "disable") ? "true" : "false", n), done);
    ER_TRY(rc, ncm_copy(c, nb, "keepalive", x, "timers/keepalive-interval", NULL), done);
    ER_TRY(rc, ncm_copy(c, nb, "hold-time", x, "timers/hold-time", NULL), done);
    if ((n = xu_child(x, "update-source-interface")) && (v = cx_if_host(c, xu_text(n, tb, sizeof tb), tb,
            sizeof tb))) {
        snprintf(ab, sizeof ab, "%.*s", (int)(strchr(v, '/') - v), v);
        ER_TRY(rc, ncm_leaf(c, nb, "local-address", ab, n), done);
    }
done:
    return rc;
}

/* The ipv4-unicast address-family entry of @p x (list @p list, entries @p entry). */
static const struct xr_node *
xr_af4(const struct xr_node *x, const char *list, const char *entry)
{
    const struct xr_node *af;
    char tb[32];
    const char *n;

    XU_FOR(xu_child(x, list), entry, af) {
        if ((n = xu_str(af, "af-name", tb, sizeof tb)) && !strcmp(n, "ipv4-unicast"))
            return af;
    }
    return NULL;
}

/* Address-family settings; a direction already set by a nearer level is kept. */
static er_code
xr_af(struct ncm *c, struct lyd_node *nb, const struct xr_node *af, const struct xr_bgp_dialect *d, int *pin,
        int *pout)
{
    const struct xr_node *n;
    char tb[NCM_TEXT];
    const char *v;
    size_t i;
    er_code rc = ER_OK;

    if (!af)
        return ER_OK;
    if (!*pin && (n = xu_find(af, d->pol_in)) && (v = xu_text(n, tb, sizeof tb)) && *v) {
        ER_TRY(rc, ncm_leaflist(c, nb, "import-policy", v, n), done);
        *pin = 1;
    }
    if (!*pout && (n = xu_find(af, d->pol_out)) && (v = xu_text(n, tb, sizeof tb)) && *v) {
        ER_TRY(rc, ncm_leaflist(c, nb, "export-policy", v, n), done);
        *pout = 1;
    }
    for (i = 0; i < 2 && d->max[i] && !model_str(nb, "max-prefix"); i++)
        ER_TRY(rc, ncm_copy(c, nb, "max-prefix", af, d->max[i], NULL), done);
done:
    return rc;
}

er_code
xr_bgp_neighbor(struct ncm *c, struct lyd_node *b, const struct xr_node *groups, const struct xr_node *n,
        const struct xr_bgp_dialect *d)
{
    const struct xr_node *kn = xu_child(n, d->key), *chain[XR_GROUP_DEPTH + 1], *x = n, *gm;
    struct lyd_node *nb = NULL;
    char ab[NCM_TEXT], gb[NCM_TEXT];
    const char *addr, *g;
    size_t depth = 0, i;
    int pin = 0, pout = 0;
    er_code rc = ER_OK;

    if (!kn && d->key2)
        kn = xu_child(n, d->key2);
    if (!(addr = xu_text(kn, ab, sizeof ab)) || !ncm_is_addr(addr))
        return ncm_bad(c, kn ? kn : n, "neighbor without a neighbor-address");
    /* The neighbor, its group, the group's group... */
    chain[depth++] = n;
    while ((gm = xu_find(x, d->use)) && (g = xu_text(gm, gb, sizeof gb))) {
        if (depth > XR_GROUP_DEPTH)
            return ncm_bad(c, gm, "neighbor-group inheritance deeper than %d levels", XR_GROUP_DEPTH);
        if (!(x = xr_group(groups, g)))
            return ncm_bad(c, gm, "neighbor-group '%s' is not defined", g);
        chain[depth++] = x;
    }
    ER_TRY(rc, ncm_list(c, b, "neighbor", addr, kn, &nb), done);
    ER_TRY(rc, ncm_leaf(c, nb, "enabled", "true", n), done);
    /* Farthest group first: nearer levels override. */
    for (i = depth; i-- > 0;)
        ER_TRY(rc, d->session(c, nb, chain[i]), done);
    for (i = 0; i < depth; i++)
        ER_TRY(rc, xr_af(c, nb, i ? xr_af4(chain[i], d->group_afs, d->group_af) : xr_af4(n, d->afs, d->af), d,
                &pin, &pout), done);
    if (!model_str(nb, "peer-as")) {
        rc = ncm_bad(c, n, "neighbor %s has no remote-as, nor a group with one", addr);
        goto done;
    }
    if (!model_str(nb, "md5"))
        ER_TRY(rc, ncm_leaf(c, nb, "md5", "false", n), done);
done:
    return rc;
}

/* Cisco-IOS-XR-ipv4-bgp-cfg */
static const struct xr_bgp_dialect xr_classic = {
    .use = "neighbor-group-add-member", .key = "neighbor-address",
    .afs = "neighbor-afs", .af = "neighbor-af", .group_afs = "neighbor-group-afs", .group_af = "neighbor-group-af",
    .pol_in = "route-policy-in", .pol_out = "route-policy-out", .max = {"maximum-prefixes/prefix-limit", NULL},
    .session = xr_session,
};

static er_code
xr_instance_as(struct ncm *c, const struct xr_node *ia, const struct xr_node *fb)
{
    const struct xr_node *dv = xu_child(fb, "default-vrf"), *entity = xu_child(dv, "bgp-entity"), *n;
    struct lyd_node *b;
    char hb[16], lb[16], ab[32];
    const char *hi = xu_str(ia, "as", hb, sizeof hb), *lo = xu_str(fb, "as", lb, sizeof lb);
    unsigned long h, l;
    char *e1, *e2;
    er_code rc = ER_OK;

    h = hi ? strtoul(hi, &e1, 10) : 0;
    l = lo ? strtoul(lo, &e2, 10) : 0;
    if (!hi || !lo || *e1 || *e2 || h > 65535 || l > 65535) {
        NCM_ELEM(rc, c, "bgp", ncm_bad(c, fb, "instance AS %s.%s is not two 16-bit halves", hi ? hi : "?",
                lo ? lo : "?"), done);
        return rc;
    }
    snprintf(ab, sizeof ab, "%lu", h * 65536 + l);
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
    ER_TRY(rc, ncm_leaf(c, b, "local-as", ab, fb), done);
    if ((n = xu_find(dv, "global/router-id")))
        ER_TRY(rc, ncm_copy(c, b, "router-id", n->parent, "router-id", NULL), done);
    if ((n = xu_find(dv, "global/best-path-as-path-length")))
        ER_TRY(rc, ncm_leaf(c, b, "ignore-as-path-length", "true", n), done);
    XU_FOR(xu_child(entity, "neighbors"), "neighbor", n)
        NCM_ELEM(rc, c, "bgp/neighbor", xr_bgp_neighbor(c, b, entity, n, &xr_classic), done);
done:
    return rc;
}

er_code
map_xr_bgp(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *in, *ia, *fb;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    XU_FOR(top, "instance", in) {
        XU_FOR(in, "instance-as", ia) {
            XU_FOR(ia, "four-byte-as", fb)
                ER_TRY(rc, xr_instance_as(c, ia, fb), done);
        }
    }
done:
    return rc;
}
