/**
 * @file map_xr_oper.c
 * @brief IOS-XR operational state: Cisco-IOS-XR-ipv4-bgp-oper `bgp`
 * neighbors of the default VRF (connection state, remote AS, prefixes
 * accepted and advertised per address family) and
 * Cisco-IOS-XR-ip-rib-ipv4-oper `rib` routes of the default VRF's IPv4
 * unicast table (the collector asks only for the prefixes that matter; the
 * mapper keeps only those too), and Cisco-IOS-XR-pfi-im-cmd-oper
 * `interfaces/interface-xr/interface` line state as the interface's oper status.
 */
#include "map_xe_xr.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bgp-st-estab and friends into the model's state; NULL for closing and unknown values. */
static const char *
xr_state(const char *v)
{
    static const struct { const char *in, *out; } map[] = {{"bgp-st-idle", "idle"}, {"bgp-st-connect", "connect"},
        {"bgp-st-active", "active"}, {"bgp-st-open-sent", "opensent"}, {"bgp-st-opensent", "opensent"},
        {"bgp-st-open-confirm", "openconfirm"}, {"bgp-st-openconfirm", "openconfirm"},
        {"bgp-st-estab", "established"}, {"bgp-st-closing", "idle"}};
    size_t i;

    for (i = 0; i < sizeof map / sizeof *map; i++) {
        if (!strcmp(v, map[i].in))
            return map[i].out;
    }
    return NULL;
}

static er_code
xr_oper_neighbor(struct ncm *c, struct lyd_node *b, const struct xr_node *n)
{
    const struct xr_node *kn = xu_child(n, "neighbor-address"), *sn = xu_child(n, "connection-state"), *af;
    struct lyd_node *nb;
    char ab[NCM_TEXT], sb[64], tb[32], cb[32];
    const char *addr = xu_text(kn, ab, sizeof ab), *s, *st, *t;
    uint64_t rx = 0, tx = 0;
    int have = 0;
    er_code rc = ER_OK;

    if (!addr || !ncm_is_addr(addr))
        return ncm_bad(c, kn ? kn : n, "neighbor without a neighbor-address");
    ER_TRY(rc, ncm_list(c, b, "neighbor", addr, kn, &nb), done);
    if (!model_str(nb, "peer-as") && (t = cx_asn(xu_str(n, "remote-as", tb, sizeof tb), cb, sizeof cb)))
        ER_TRY(rc, ncm_leaf(c, nb, "peer-as", t, xu_child(n, "remote-as")), done);
    XU_FOR(n, "af-data", af) {
        if ((t = xu_str(af, "prefixes-accepted", tb, sizeof tb)))
            rx += strtoull(t, NULL, 10), have = 1;
        if ((t = xu_str(af, "prefixes-advertised", tb, sizeof tb)))
            tx += strtoull(t, NULL, 10), have = 1;
    }
    if (have) {
        snprintf(cb, sizeof cb, "%" PRIu64, rx);
        ER_TRY(rc, ncm_leaf(c, nb, "prefixes-received", cb, n), done);
        snprintf(cb, sizeof cb, "%" PRIu64, tx);
        ER_TRY(rc, ncm_leaf(c, nb, "prefixes-advertised", cb, n), done);
    }
    if ((s = xu_text(sn, sb, sizeof sb))) {
        if (!(st = xr_state(s)))
            return ncm_bad(c, sn, "connection-state '%s' is not a BGP state", s);
        ER_TRY(rc, ncm_leaf(c, nb, "state-source", c->src, sn), done);
        ER_TRY(rc, ncm_leaf(c, nb, "state", st, sn), done);
    }
done:
    return rc;
}

er_code
map_xr_bgp_oper(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *in, *n;
    struct lyd_node *b = NULL;
    er_code rc = ER_OK;

    XU_FOR(xu_child(top, "instances"), "instance", in) {
        XU_FOR(xu_find(in, "instance-active/default-vrf/neighbors"), "neighbor", n) {
            if (!b)
                ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
            NCM_ELEM(rc, c, "bgp/neighbor", xr_oper_neighbor(c, b, n), done);
        }
    }
done:
    return rc;
}

static er_code
xr_route(struct ncm *c, struct lyd_node **rib, const struct xr_node *r)
{
    const struct xr_node *an = xu_child(r, "address"), *p;
    char ab[64], lb[8], pb[96], nb[64], ib[NCM_TEXT], prb[32];
    const char *a = xu_text(an, ab, sizeof ab), *l = xu_str(r, "prefix-length", lb, sizeof lb), *proto, *nh;
    struct lyd_node *rt, *path;
    struct pfx pf;
    er_code rc = ER_OK;

    if (!a || !l || !ncm_is_addr(a))
        return ncm_bad(c, r, "route without an address and prefix-length");
    snprintf(pb, sizeof pb, "%s/%s", a, l);
    if (pfx_parse(pb, &pf, 0))
        return ncm_bad(c, r, "route %s is not a prefix", pb);
    c->routes++;
    /* Only the routes that matter become tree nodes; the rest are counted. */
    if (c->mc->keep_route && !c->mc->keep_route(&pf, c->mc->keep_arg))
        return ER_OK;
    if (!*rib)
        ER_TRY(rc, ncm_cont(c, c->mc->dev, "rib", rib), done);
    ER_TRY(rc, ncm_list(c, *rib, "route", pb, an, &rt), done);
    proto = xu_str(r, "protocol-name", prb, sizeof prb);
    if (!proto || (strcmp(proto, "bgp") && strcmp(proto, "static") && strcmp(proto, "connected")
            && strcmp(proto, "local") && strcmp(proto, "ospf") && strcmp(proto, "isis")))
        proto = "other";
    XU_FOR(xu_child(r, "route-path"), "ipv4-rib-edm-path", p) {
        nh = xu_str(p, "address", nb, sizeof nb);
        ER_TRY(rc, ncm_list(c, rt, "path", ncm_is_addr(nh) && !strcmp(proto, "bgp") ? nh : proto, p, &path), done);
        ER_TRY(rc, ncm_leaf(c, path, "protocol", proto, r), done);
        ER_TRY(rc, ncm_leaf(c, path, "state-source", c->src, r), done);
        ER_TRY(rc, ncm_leaf(c, path, "best", "true", p), done);
        if (ncm_is_addr(nh) && strcmp(nh, "0.0.0.0"))
            ER_TRY(rc, ncm_leaf(c, path, "next-hop", nh, xu_child(p, "address")), done);
        if (xu_str(p, "interface-name", ib, sizeof ib))
            ER_TRY(rc, ncm_copy(c, path, "egress-interface", p, "interface-name", NULL), done);
    }
done:
    return rc;
}

er_code
map_xr_rib_oper(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *v, *af, *saf, *t, *r;
    struct lyd_node *rib = NULL;
    char nb[64];
    er_code rc = ER_OK;

    XU_FOR(xu_child(top, "vrfs"), "vrf", v) {
        const char *vn = xu_str(v, "vrf-name", nb, sizeof nb);

        if (vn && strcmp(vn, "default"))
            continue;
        XU_FOR(xu_child(v, "afs"), "af", af) {
            XU_FOR(xu_child(af, "safs"), "saf", saf) {
                XU_FOR(xu_child(saf, "ip-rib-route-table-names"), "ip-rib-route-table-name", t) {
                    XU_FOR(xu_child(t, "routes"), "route", r)
                        NCM_ELEM(rc, c, "rib/route", xr_route(c, &rib, r), done);
                }
            }
        }
    }
done:
    return rc;
}

/* ---- interface state (Cisco-IOS-XR-pfi-im-cmd-oper) ------------------ */

/* line-state (im-state-up, im-state-down, im-state-admin-down...) into up | down | other. */
static const char *
xr_line_state(const char *v, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    if (!strcmp(v, "im-state-up"))
        return "up";
    if (!strncmp(v, "im-state-down", 13) || !strcmp(v, "im-state-admin-down") || !strcmp(v, "im-state-shutdown")
            || !strcmp(v, "im-state-not-ready") || !strcmp(v, "im-state-err-disable"))
        return "down";
    return "other";
}

static er_code
xr_oper_if(struct ncm *c, const struct xr_node *i)
{
    const struct xr_node *kn = xu_child(i, "interface-name");
    struct lyd_node *ifc;
    char nb[NCM_TEXT];
    const char *name = xu_text(kn, nb, sizeof nb);
    er_code rc = ER_OK;

    if (!name || !*name)
        return ncm_bad(c, i, "interface without an interface-name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "interface", name, kn, &ifc), done);
    /* line-state is the protocol state the interface forwards with; state is the administrative side too */
    ER_TRY(rc, ncm_copy(c, ifc, "oper-status", i, "line-state", xr_line_state), done);
done:
    return rc;
}

er_code
map_xr_if_oper(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *i;
    er_code rc = ER_OK;

    XU_FOR(xu_child(top, "interface-xr"), "interface", i)
        NCM_ELEM(rc, c, "interface", xr_oper_if(c, i), done);
done:
    return rc;
}
