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

/* Session settings of a neighbor or a neighbor-group entry @p x. */
static er_code
um_session(struct ncm *c, struct lyd_node *nb, const struct xr_node *x)
{
    const struct xr_node *n;
    char tb[NCM_TEXT], ab[64];
    const char *v;
    er_code rc = ER_OK;

    ER_TRY(rc, cx_peer_as(c, nb, x), done);
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

/* Cisco-IOS-XR-um-router-bgp-cfg; neighbors are keyed `address` in later releases. */
static const struct xr_bgp_dialect um_dialect = {
    .use = "use/neighbor-group", .key = "neighbor-address", .key2 = "address",
    .afs = "address-families", .af = "address-family", .group_afs = "address-families", .group_af = "address-family",
    .pol_in = "route-policy/in", .pol_out = "route-policy/out",
    .max = {"maximum-prefix/prefix-limit", "maximum-prefix/maximum-prefix-number"},
    .session = um_session,
};

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
        NCM_ELEM(rc, c, "bgp/neighbor", xr_bgp_neighbor(c, b, as, n, &um_dialect), done);
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
