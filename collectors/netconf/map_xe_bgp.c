/**
 * @file map_xe_bgp.c
 * @brief IOS-XE `router bgp` (Cisco-IOS-XE-bgp, augmenting /native/router)
 * into device/bgp: the AS (list key `id`), `bgp router-id`
 * (`bgp/router-id/ip-id`), `bgp bestpath as-path ignore` (leaf
 * `bgp/bestpath/as-path` = ignore), neighbors (`neighbor[id]`) and peer-groups
 * (`peer-group/neighbor[id]`) with remote-as, description, shutdown,
 * password (set or not, never its value), timers, fall-over bfd and
 * update-source; per neighbor or peer-group in `address-family/no-vrf/
 * ipv4[unicast]/ipv4-unicast`: route-map in/out and maximum-prefix.
 * A neighbor's own setting overrides its peer-group's. Neighbors of VRFs
 * (`address-family/with-vrf`) are not the default table's and are not read.
 * Each neighbor is one element (NCM_ELEM, part bgp/neighbor).
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <string.h>

/* The ipv4 unicast address-family entry of the default table. */
static const struct xr_node *
xe_af4(const struct xr_node *bgp)
{
    const struct xr_node *af;
    char tb[32];

    XU_FOR(xu_find(bgp, "address-family/no-vrf"), "ipv4", af) {
        const char *n = xu_str(af, "af-name", tb, sizeof tb);

        if (n && !strcmp(n, "unicast"))
            return xu_child(af, "ipv4-unicast");
    }
    return NULL;
}

/* Entry @p id of list @p list under @p parent (key `id`). */
static const struct xr_node *
xe_entry(const struct xr_node *parent, const char *list, const char *id)
{
    const struct xr_node *e;
    char tb[NCM_TEXT];
    const char *v;

    XU_FOR(parent, list, e) {
        if ((v = xu_str(e, "id", tb, sizeof tb)) && !strcmp(v, id))
            return e;
    }
    return NULL;
}

/* Session settings (neighbor or peer-group entry @p x). */
static er_code
xe_session(struct ncm *c, struct lyd_node *nb, const struct xr_node *x)
{
    const struct xr_node *n;
    char tb[NCM_TEXT], ab[32], ib[NCM_TEXT + 64];
    const char *v;
    er_code rc = ER_OK;

    ER_TRY(rc, cx_peer_as(c, nb, x), done);
    ER_TRY(rc, ncm_copy(c, nb, "description", x, "description", NULL), done);
    if ((n = xu_child(x, "shutdown")))
        ER_TRY(rc, ncm_leaf(c, nb, "enabled", "false", n), done);
    /* Only whether a password is set; the value (redacted at collection) is never read. */
    if ((n = xu_child(x, "password")) && (xu_child(n, "text") || ((v = xu_text(n, tb, sizeof tb)) && *v)))
        ER_TRY(rc, ncm_leaf(c, nb, "md5", "true", n), done);
    ER_TRY(rc, ncm_copy(c, nb, "keepalive", x, "timers/keepalive-interval", NULL), done);
    ER_TRY(rc, ncm_copy(c, nb, "hold-time", x, "timers/holdtime", NULL), done);
    if ((n = xu_find(x, "fall-over/bfd")))
        ER_TRY(rc, ncm_leaf(c, nb, "bfd", "true", n), done);
    /* update-source Loopback0: the interface's address, when the interface has one. */
    if ((n = xu_first(xu_find(x, "update-source/interface")))) {
        cx_xe_ifname(n, xu_text(n, tb, sizeof tb), ib, sizeof ib);
        if ((v = cx_if_host(c, ib, tb, sizeof tb))) {
            snprintf(ab, sizeof ab, "%.*s", (int)(strchr(v, '/') - v), v);
            ER_TRY(rc, ncm_leaf(c, nb, "local-address", ab, n), done);
        }
    }
done:
    return rc;
}

/* Address-family settings of @p id (a neighbor or a peer-group) from @p af. */
static er_code
xe_af_settings(struct ncm *c, struct lyd_node *nb, const struct xr_node *af, const char *id, int *pol_in,
        int *pol_out)
{
    const struct xr_node *e = xe_entry(af, "neighbor", id), *rm, *n;
    char tb[NCM_TEXT], mb[NCM_TEXT];
    const char *dir, *name;
    er_code rc = ER_OK;

    if (!e)
        e = xe_entry(xu_child(af, "peer-group"), "neighbor", id);
    if (!e)
        return ER_OK;
    XU_FOR(e, "route-map", rm) {
        dir = xu_str(rm, "inout", tb, sizeof tb);
        name = xu_str(rm, "route-map-name", mb, sizeof mb);
        if (!dir || (strcmp(dir, "in") && strcmp(dir, "out")) || !name || !*name)
            return ncm_bad(c, rm, "route-map without inout in|out and a route-map-name");
        /* A neighbor's own route-map replaces its peer-group's for that direction. */
        if (!strcmp(dir, "in") && !(*pol_in)++)
            ER_TRY(rc, ncm_leaflist(c, nb, "import-policy", name, rm), done);
        else if (!strcmp(dir, "out") && !(*pol_out)++)
            ER_TRY(rc, ncm_leaflist(c, nb, "export-policy", name, rm), done);
    }
    if ((n = xu_find(e, "maximum-prefix/max-prefix-no")))
        ER_TRY(rc, ncm_copy(c, nb, "max-prefix", n->parent, "max-prefix-no", NULL), done);
done:
    return rc;
}

static er_code
xe_neighbor(struct ncm *c, struct lyd_node *b, const struct xr_node *bgp, const struct xr_node *n)
{
    const struct xr_node *kn = xu_child(n, "id"), *pg = NULL, *af = xe_af4(bgp);
    struct lyd_node *nb = NULL;
    char ab[NCM_TEXT], gb[NCM_TEXT];
    const char *addr = xu_text(kn, ab, sizeof ab), *g = xu_str(n, "peer-group/peer-group-name", gb, sizeof gb);
    int pin = 0, pout = 0;
    er_code rc = ER_OK;

    if (!addr || !*addr)
        return ncm_bad(c, n, "neighbor without an id");
    if (!ncm_is_addr(addr))
        return ncm_bad(c, kn, "neighbor id '%s' is not an address", addr);
    if (g && !(pg = xe_entry(xu_child(bgp, "peer-group"), "neighbor", g)))
        return ncm_bad(c, xu_child(n, "peer-group"), "peer-group '%s' is not defined", g);
    ER_TRY(rc, ncm_list(c, b, "neighbor", addr, kn, &nb), done);
    ER_TRY(rc, ncm_leaf(c, nb, "enabled", "true", n), done);
    if (pg)
        ER_TRY(rc, xe_session(c, nb, pg), done);
    ER_TRY(rc, xe_session(c, nb, n), done);
    if (!model_str(nb, "peer-as")) {
        rc = ncm_bad(c, n, "neighbor %s has neither remote-as nor a peer-group with one", addr);
        goto done;
    }
    ER_TRY(rc, xe_af_settings(c, nb, af, addr, &pin, &pout), done);
    if (g)
        ER_TRY(rc, xe_af_settings(c, nb, af, g, &pin, &pout), done);
    if (!model_str(nb, "md5"))
        ER_TRY(rc, ncm_leaf(c, nb, "md5", "false", n), done);
done:
    return rc;
}

er_code
xe_bgp(struct ncm *c, const struct xr_node *native)
{
    const struct xr_node *bgp = xu_find(native, "router/bgp"), *kn = xu_child(bgp, "id"), *n;
    struct lyd_node *b;
    char tb[NCM_TEXT], ab[32];
    const char *as, *v;
    er_code rc = ER_OK;

    if (!bgp)
        return ER_OK;
    if (!(as = cx_asn(xu_text(kn, tb, sizeof tb), ab, sizeof ab))) {
        NCM_ELEM(rc, c, "bgp", ncm_bad(c, kn ? kn : bgp, "router bgp without an AS number"), done);
        return rc;
    }
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
    ER_TRY(rc, ncm_leaf(c, b, "local-as", as, kn), done);
    /* bgp router-id A.B.C.D (choice id-choice: ip-id | interface | vrf) */
    if ((n = xu_find(bgp, "bgp/router-id/ip-id")))
        ER_TRY(rc, ncm_leaf(c, b, "router-id", xu_text(n, tb, sizeof tb), n), done);
    /* bgp bestpath as-path ignore: leaf as-path, enumeration ignore | multipath-relax */
    if ((n = xu_find(bgp, "bgp/bestpath/as-path")) && (v = xu_text(n, tb, sizeof tb)) && !strcmp(v, "ignore"))
        ER_TRY(rc, ncm_leaf(c, b, "ignore-as-path-length", "true", n), done);
    XU_FOR(bgp, "neighbor", n)
        NCM_ELEM(rc, c, "bgp/neighbor", xe_neighbor(c, b, bgp, n), done);
done:
    return rc;
}
