/**
 * @file map_oc_if.c
 * @brief OpenConfig interfaces (openconfig-interfaces, -if-ip, -if-ethernet)
 * into device/interface.
 */
#include "ncmap.h"

#include <stdio.h>
#include <string.h>

/*
 * A port speed at @p path under @p eth into @p leaf: SPEED_UNKNOWN and an
 * empty value say nothing; anything else that is not a speed (negative,
 * huge, NaN, junk) is a bad element, not a number.
 */
static er_code
oc_speed(struct ncm *c, struct lyd_node *ifc, const struct xr_node *eth, const char *path)
{
    char tb[NCM_TEXT], cb[64];
    const struct xr_node *n = xu_find(eth, path);
    const char *v, *bps;

    if (!n || !(v = xu_text(n, tb, sizeof tb)) || !*v || !strcmp(xu_ident(v), "SPEED_UNKNOWN"))
        return ER_OK;
    if (!(bps = ncm_oc_speed(v, cb, sizeof cb)))
        return ncm_bad(c, n, "value '%.100s' refused: expected a port speed (SPEED_10GB, SPEED_2500MB...)", v);
    return ncm_leaf(c, ifc, "speed", bps, n);
}

/* subinterface/ipv4|ipv6/addresses/address: ip + prefix-length. */
static er_code
oc_address(struct ncm *c, struct lyd_node *ifc, const struct xr_node *a)
{
    const struct xr_node *kn = ncm_key(a, "ip"), *pl;
    char kb[NCM_TEXT], pb[32];
    const char *ip, *len;

    if (!(ip = xu_text(kn, kb, sizeof kb)) || !*ip)
        return ncm_bad(c, a, "address without an ip");
    if (!(pl = xu_find(a, "config/prefix-length")))
        pl = xu_find(a, "state/prefix-length");
    if (!(len = xu_text(pl, pb, sizeof pb)))
        return ncm_bad(c, a, "address %s without a prefix-length", ip);
    return ncm_address(c, ifc, ip, kn, len, pl);
}

static er_code
oc_addresses(struct ncm *c, struct lyd_node *ifc, const struct xr_node *ipvx)
{
    const struct xr_node *a;
    er_code rc = ER_OK;

    XU_FOR(xu_child(ipvx, "addresses"), "address", a)
        NCM_ELEM(rc, c, "interface/address", oc_address(c, ifc, a), done);
done:
    return rc;
}

static er_code
oc_subinterface(struct ncm *c, struct lyd_node *dev, struct lyd_node *ifc, const char *ifname, const struct xr_node *s)
{
    const struct xr_node *kn = ncm_key(s, "index");
    char ib[32], name[NCM_TEXT + 40];
    const char *idx = xu_text(kn, ib, sizeof ib);
    struct lyd_node *sub = ifc;
    er_code rc = ER_OK;

    /* Index 0 is the interface itself; others are units named IF.N. */
    if (idx && *idx && strcmp(idx, "0")) {
        snprintf(name, sizeof name, "%s.%s", ifname, idx);
        ER_TRY(rc, ncm_list(c, dev, "interface", name, kn, &sub), done);
        if (c->cfg) {
            ER_TRY(rc, ncm_copy(c, sub, "description", s, "config/description", NULL), done);
            ER_TRY(rc, ncm_copy(c, sub, "enabled", s, "config/enabled", NULL), done);
        }
        ER_TRY(rc, ncm_copy(c, sub, "oper-status", s, "state/oper-status", ncm_oper_status), done);
    }
    if (c->cfg) {
        ER_TRY(rc, oc_addresses(c, sub, xu_child(s, "ipv4")), done);
        ER_TRY(rc, oc_addresses(c, sub, xu_child(s, "ipv6")), done);
    }
done:
    return rc;
}

static er_code
oc_interface(struct ncm *c, const struct xr_node *i)
{
    struct lyd_node *dev = c->mc->dev, *ifc;
    const struct xr_node *kn = ncm_key(i, "name"), *st, *eth, *s;
    char nb[NCM_TEXT];
    const char *name = xu_text(kn, nb, sizeof nb);
    er_code rc;

    if (!name || !*name)
        return ncm_bad(c, i, "interface without a name");
    ER_TRY(rc, ncm_list(c, dev, "interface", name, kn, &ifc), done);
    eth = xu_child(i, "ethernet");
    /*
     * Leaves go in from the last in schema order: libyang puts a new leaf
     * before the first later sibling present and tries each later one in
     * turn, so this order finds it at once (1.6% of building a device).
     */
    if (c->cfg) {
        NCM_ELEM(rc, c, "interface/speed", oc_speed(c, ifc, eth, "config/port-speed"), done);
        ER_TRY(rc, ncm_copy(c, ifc, "enabled", i, "config/enabled", NULL), done);
        ER_TRY(rc, ncm_copy(c, ifc, "description", i, "config/description", NULL), done);
    }
    st = xu_child(i, "state");
    ER_TRY(rc, ncm_copy(c, ifc, "out-octets", st, "counters/out-octets", NULL), done);
    ER_TRY(rc, ncm_copy(c, ifc, "in-octets", st, "counters/in-octets", NULL), done);
    ER_TRY(rc, ncm_copy(c, ifc, "oper-status", st, "oper-status", ncm_oper_status), done);
    /* The negotiated speed is what the link runs at. */
    NCM_ELEM(rc, c, "interface/speed", oc_speed(c, ifc, eth, "state/port-speed"), done);
    NCM_ELEM(rc, c, "interface/speed", oc_speed(c, ifc, eth, "state/negotiated-port-speed"), done);
    XU_FOR(xu_child(i, "subinterfaces"), "subinterface", s)
        NCM_ELEM(rc, c, "interface", oc_subinterface(c, dev, ifc, name, s), done);
done:
    return rc;
}

er_code
map_oc_interfaces(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *i;
    er_code rc = ER_OK;

    XU_FOR(top, "interface", i)
        NCM_ELEM(rc, c, "interface", oc_interface(c, i), done);
done:
    return rc;
}
