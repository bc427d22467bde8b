/**
 * @file map_ietf_if.c
 * @brief IETF interfaces (RFC 8343, with ietf-ip RFC 8344) into
 * device/interface, and IETF routing (RFC 8349: static routes and RIBs)
 * into device/rib.
 */
#include "ncmap.h"

#include <string.h>

/* ipv4|ipv6/address: ip with prefix-length, or (IPv4) netmask. */
static er_code
ietf_address(struct ncm *c, struct lyd_node *ifc, const struct xr_node *a)
{
    const struct xr_node *kn = xu_child(a, "ip"), *pl;
    char kb[NCM_TEXT], pb[64], mb[8];
    const char *ip, *len;

    if (!(ip = xu_text(kn, kb, sizeof kb)) || !*ip)
        return ncm_bad(c, a, "address without an ip");
    if ((pl = xu_child(a, "prefix-length"))) {
        len = xu_text(pl, pb, sizeof pb);
    } else if ((pl = xu_child(a, "netmask"))) {
        if (!(len = ncm_netmask(xu_text(pl, pb, sizeof pb), mb, sizeof mb)))
            return ncm_bad(c, pl, "netmask '%s' is not a contiguous IPv4 mask", pb);
    } else {
        return ncm_bad(c, a, "address %s without a prefix-length or netmask", ip);
    }
    return ncm_address(c, ifc, ip, kn, len, pl);
}

static er_code
ietf_addresses(struct ncm *c, struct lyd_node *ifc, const struct xr_node *ipvx)
{
    const struct xr_node *a;
    er_code rc = ER_OK;

    XU_FOR(ipvx, "address", a)
        NCM_ELEM(rc, c, "interface/address", ietf_address(c, ifc, a), done);
done:
    return rc;
}

static er_code
ietf_interface(struct ncm *c, const struct xr_node *i, int config_tree)
{
    const struct xr_node *kn = xu_child(i, "name");
    struct lyd_node *ifc;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc;

    if (!(name = xu_text(kn, nb, sizeof nb)) || !*name)
        return ncm_bad(c, i, "interface without a name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "interface", name, kn, &ifc), done);
    if (c->cfg && config_tree) {
        ER_TRY(rc, ncm_copy(c, ifc, "description", i, "description", NULL), done);
        ER_TRY(rc, ncm_copy(c, ifc, "enabled", i, "enabled", NULL), done);
        ER_TRY(rc, ietf_addresses(c, ifc, xu_child(i, "ipv4")), done);
        ER_TRY(rc, ietf_addresses(c, ifc, xu_child(i, "ipv6")), done);
    }
    /* State leaves: in interfaces-state, or beside config with NMDA. */
    ER_TRY(rc, ncm_copy(c, ifc, "oper-status", i, "oper-status", ncm_oper_status), done);
    ER_TRY(rc, ncm_copy(c, ifc, "speed", i, "speed", NULL), done);
    ER_TRY(rc, ncm_copy(c, ifc, "in-octets", i, "statistics/in-octets", NULL), done);
    rc = ncm_copy(c, ifc, "out-octets", i, "statistics/out-octets", NULL);
done:
    return rc;
}

er_code
map_ietf_interfaces(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *i;
    int config_tree = xu_is(top, "interfaces");
    er_code rc = ER_OK;

    XU_FOR(top, "interface", i)
        NCM_ELEM(rc, c, "interface", ietf_interface(c, i, config_tree), done);
done:
    return rc;
}

/* ---- routing --------------------------------------------------------- */

static const char *
ietf_protocol(const char *v)
{
    v = xu_ident(v);
    if (!strcmp(v, "direct"))
        return "connected";
    if (!strcmp(v, "static") || !strcmp(v, "bgp") || !strcmp(v, "isis"))
        return v;
    if (!strncmp(v, "ospf", 4))
        return "ospf";
    return "other";
}

/* One route (static or RIB) into rib/route[prefix]/path[protocol]. */
static er_code
ietf_route(struct ncm *c, struct lyd_node *rib, const struct xr_node *r, const char *proto)
{
    const struct xr_node *kn = xu_child(r, "destination-prefix"), *nh = xu_child(r, "next-hop"), *hn;
    struct lyd_node *rt, *p;
    char pb[NCM_TEXT], hb[NCM_TEXT];
    const char *prefix = xu_text(kn, pb, sizeof pb), *hop;
    er_code rc;

    if (!prefix || !*prefix)
        return ncm_bad(c, r, "route without a destination-prefix");
    ER_TRY(rc, ncm_list(c, rib, "route", prefix, kn, &rt), done);
    ER_TRY(rc, ncm_list(c, rt, "path", proto, r, &p), done);
    ER_TRY(rc, ncm_leaf(c, p, "protocol", proto, r), done);
    ER_TRY(rc, ncm_leaf(c, p, "state-source", c->src, r), done);
    if (xu_child(r, "active"))
        ER_TRY(rc, ncm_leaf(c, p, "best", "true", r), done);
    /* A simple next hop, or the first of a next-hop-list. */
    if (!(hn = xu_child(nh, "next-hop-address")) && !(hn = xu_child(nh, "address")))
        hn = xu_find(nh, "next-hop-list/next-hop/address");
    if ((hop = xu_text(hn, hb, sizeof hb)))
        ER_TRY(rc, ncm_leaf(c, p, "next-hop", hop, hn), done);
    if (!(hn = xu_child(nh, "outgoing-interface")))
        hn = xu_find(nh, "next-hop-list/next-hop/outgoing-interface");
    if ((hop = xu_text(hn, hb, sizeof hb)))
        ER_TRY(rc, ncm_leaf(c, p, "egress-interface", hop, hn), done);
done:
    return rc;
}

er_code
map_ietf_routing(struct ncm *c, const struct xr_node *top)
{
    static const char *const fams[] = {"ipv4", "ipv6"};
    const struct xr_node *p, *sr, *rb, *r;
    struct lyd_node *rib = NULL;
    char tb[128];
    size_t i;
    er_code rc = ER_OK;

    if (c->cfg) {
        XU_FOR(xu_child(top, "control-plane-protocols"), "control-plane-protocol", p) {
            if (!(sr = xu_child(p, "static-routes")))
                continue;
            for (i = 0; i < 2; i++) {
                XU_FOR(xu_child(sr, fams[i]), "route", r) {
                    if (!rib)
                        ER_TRY(rc, ncm_cont(c, c->mc->dev, "rib", &rib), done);
                    NCM_ELEM(rc, c, "rib/route", ietf_route(c, rib, r, "static"), done);
                }
            }
        }
    }
    XU_FOR(xu_child(top, "ribs"), "rib", rb) {
        XU_FOR(xu_child(rb, "routes"), "route", r) {
            const char *proto = xu_str(r, "source-protocol", tb, sizeof tb);

            if (!rib)
                ER_TRY(rc, ncm_cont(c, c->mc->dev, "rib", &rib), done);
            c->routes++;
            NCM_ELEM(rc, c, "rib/route", ietf_route(c, rib, r, proto ? ietf_protocol(proto) : "other"), done);
        }
    }
done:
    return rc;
}
