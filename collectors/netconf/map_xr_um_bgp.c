/**
 * @file map_xr_um_bgp.c
 * @brief IOS-XR 7.x unified model Cisco-IOS-XR-um-router-bgp-cfg (`router/bgp`)
 * into device/bgp, as map_xr_bgp.c reads the classic Cisco-IOS-XR-ipv4-bgp-cfg.
 *
 * `router/bgp/as[as-number]` (plain or asdot) holds `bgp/router-id`,
 * `bgp/bestpath/as-path/ignore`, `neighbor-groups/neighbor-group[neighbor-group-name]`
 * and `neighbors/neighbor[neighbor-address]` (`address` in later releases).
 * A neighbor inherits the group it names in `use/neighbor-group` (and that
 * group's own, up to four levels); what it sets itself overrides. Session
 * settings: `remote-as`, `description`, `shutdown`, `password/encrypted` (set
 * or not; the value is redacted at collection), `bfd/fast-detect` (its
 * `disable` turns it off), `timers/keepalive-interval` and `holdtime`,
 * `update-source`. Per `address-families/address-family[af-name=ipv4-unicast]`:
 * `route-policy/in` and `out`, `maximum-prefix/prefix-limit` (or
 * `maximum-prefix-number`). Neighbors under `vrfs` are not the default
 * table's and are not read. Each neighbor is one element (part bgp/neighbor).
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <string.h>

#define UM_GROUP_DEPTH 4

static const struct xr_node *
um_group(const struct xr_node *as, const char *name)
{
    const struct xr_node *g;
    char tb[NCM_TEXT];
    const char *v;

    XU_FOR(xu_child(as, "neighbor-groups"), "neighbor-group", g) {
        if ((v = xu_str(g, "neighbor-group-name", tb, sizeof tb)) && !strcmp(v, name))
            return g;
    }
    return NULL;
}

/* Session settings of a neighbor or a neighbor-group entry @p x. */
static er_code
um_session(struct ncm *c, struct lyd_node *nb, const struct xr_node *x)
{
    const struct xr_node *n;
    char tb[NCM_TEXT], ab[64];
    const char *v;
    er_code rc = ER_OK;

    if ((n = xu_child(x, "remote-as"))) {
        if (!(v = cx_asn(xu_text(n, tb, sizeof tb), ab, sizeof ab)))
            return ncm_bad(c, n, "remote-as '%s' is not an AS number", tb);
        ER_TRY(rc, ncm_leaf(c, nb, "peer-as", v, n), done);
    }
    ER_TRY(rc, ncm_copy(c, nb, "description", x, "description", NULL), done);
    /* shutdown/inheritance-disable keeps a neighbor up whatever its group says */
    if ((n = xu_child(x, "shutdown")))
        ER_TRY(rc, ncm_leaf(c, nb, "enabled", xu_child(n, "inheritance-disable") ? "true" : "false", n), done);
    if ((n = xu_child(x, "password")) && xu_child(n, "encrypted"))
        ER_TRY(rc, ncm_leaf(c, nb, "md5", "true", n), done);
    else if (n && xu_child(n, "inheritance-disable"))
        ER_TRY(rc, ncm_leaf(c, nb, "md5", "false", n), done);
    if ((n = xu_find(x, "bfd/fast-detect")))
        ER_TRY(rc, ncm_leaf(c, nb, "bfd", xu_child(n, "disable") ? "false" : "true", n), done);
    ER_TRY(rc, ncm_copy(c, nb, "keepalive", x, "timers/keepalive-interval", NULL), done);
    ER_TRY(rc, ncm_copy(c, nb, "hold-time", x, "timers/holdtime", NULL), done);
    if ((n = xu_child(x, "update-source")) && (v = cx_if_host(c, xu_text(n, tb, sizeof tb), tb, sizeof tb))) {
        snprintf(ab, sizeof ab, "%.*s", (int)(strchr(v, '/') - v), v);
        ER_TRY(rc, ncm_leaf(c, nb, "local-address", ab, n), done);
    }
done:
    return rc;
}

/* The ipv4-unicast address family of a neighbor or group. */
static const struct xr_node *
um_af4(const struct xr_node *x)
{
    const struct xr_node *af;
    char tb[32];
    const char *n;

    XU_FOR(xu_child(x, "address-families"), "address-family", af) {
        if ((n = xu_str(af, "af-name", tb, sizeof tb)) && !strcmp(n, "ipv4-unicast"))
            return af;
    }
    return NULL;
}

/* Address-family settings; a direction already set by a nearer level is kept. */
static er_code
um_af(struct ncm *c, struct lyd_node *nb, const struct xr_node *af, int *pin, int *pout)
{
    const struct xr_node *n;
    char tb[NCM_TEXT];
    const char *v;
    er_code rc = ER_OK;

    if (!af)
        return ER_OK;
    if (!*pin && (n = xu_find(af, "route-policy/in")) && (v = xu_text(n, tb, sizeof tb)) && *v) {
        ER_TRY(rc, ncm_leaflist(c, nb, "import-policy", v, n), done);
        *pin = 1;
    }
    if (!*pout && (n = xu_find(af, "route-policy/out")) && (v = xu_text(n, tb, sizeof tb)) && *v) {
        ER_TRY(rc, ncm_leaflist(c, nb, "export-policy", v, n), done);
        *pout = 1;
    }
    if (!model_str(nb, "max-prefix")) {
        ER_TRY(rc, ncm_copy(c, nb, "max-prefix", af, "maximum-prefix/prefix-limit", NULL), done);
        if (!model_str(nb, "max-prefix"))
            ER_TRY(rc, ncm_copy(c, nb, "max-prefix", af, "maximum-prefix/maximum-prefix-number", NULL), done);
    }
done:
    return rc;
}

static er_code
um_neighbor(struct ncm *c, struct lyd_node *b, const struct xr_node *as, const struct xr_node *n)
{
    const struct xr_node *kn = xu_child(n, "neighbor-address"), *chain[UM_GROUP_DEPTH + 1], *x = n, *gm;
    struct lyd_node *nb = NULL;
    char ab[NCM_TEXT], gb[NCM_TEXT];
    const char *addr, *g;
    size_t depth = 0, i;
    int pin = 0, pout = 0;
    er_code rc = ER_OK;

    if (!kn)
        kn = xu_child(n, "address");
    addr = xu_text(kn, ab, sizeof ab);
    if (!addr || !ncm_is_addr(addr))
        return ncm_bad(c, kn ? kn : n, "neighbor without a neighbor-address");
    chain[depth++] = n;
    while ((gm = xu_find(x, "use/neighbor-group")) && (g = xu_text(gm, gb, sizeof gb))) {
        if (depth > UM_GROUP_DEPTH)
            return ncm_bad(c, gm, "neighbor-group inheritance deeper than %d levels", UM_GROUP_DEPTH);
        if (!(x = um_group(as, g)))
            return ncm_bad(c, gm, "neighbor-group '%s' is not defined", g);
        chain[depth++] = x;
    }
    ER_TRY(rc, ncm_list(c, b, "neighbor", addr, kn, &nb), done);
    ER_TRY(rc, ncm_leaf(c, nb, "enabled", "true", n), done);
    /* Farthest group first: nearer levels override. */
    for (i = depth; i-- > 0;)
        ER_TRY(rc, um_session(c, nb, chain[i]), done);
    for (i = 0; i < depth; i++)
        ER_TRY(rc, um_af(c, nb, um_af4(chain[i]), &pin, &pout), done);
    if (!model_str(nb, "peer-as")) {
        rc = ncm_bad(c, n, "neighbor %s has no remote-as, nor a group with one", addr);
        goto done;
    }
    if (!model_str(nb, "md5"))
        ER_TRY(rc, ncm_leaf(c, nb, "md5", "false", n), done);
done:
    return rc;
}

static er_code
um_as(struct ncm *c, const struct xr_node *as)
{
    const struct xr_node *kn = xu_child(as, "as-number"), *n;
    struct lyd_node *b;
    char tb[NCM_TEXT], ab[32];
    const char *v;
    er_code rc = ER_OK;

    if (!(v = cx_asn(xu_text(kn, tb, sizeof tb), ab, sizeof ab)))
        return ncm_bad(c, kn ? kn : as, "router bgp without an AS number");
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
    ER_TRY(rc, ncm_leaf(c, b, "local-as", v, kn), done);
    ER_TRY(rc, ncm_copy(c, b, "router-id", as, "bgp/router-id", NULL), done);
    if ((n = xu_find(as, "bgp/bestpath/as-path/ignore")))
        ER_TRY(rc, ncm_leaf(c, b, "ignore-as-path-length", "true", n), done);
    XU_FOR(xu_child(as, "neighbors"), "neighbor", n)
        NCM_ELEM(rc, c, "bgp/neighbor", um_neighbor(c, b, as, n), done);
done:
    return rc;
}

er_code
map_xr_um_bgp(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *as;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    XU_FOR(xu_child(top, "bgp"), "as", as)
        NCM_ELEM(rc, c, "bgp", um_as(c, as), done);
done:
    return rc;
}
